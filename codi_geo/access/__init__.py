"""Access: who may see and do what.

- ``auth``: who someone is: the users file, passwords, sign-in cookies, OIDC claims.
- ``rules``: roles and permissions, and the region rule of imports and undos.
- ``service``: import and undo with those rules applied and audited (Data page and CLI).
- ``audit``: the audit log.
- ``public``: what public mode serves.
"""
