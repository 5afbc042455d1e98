"""Access: who may see and do what: users and sign-in, roles and region rules, the audit log,
and public mode."""
