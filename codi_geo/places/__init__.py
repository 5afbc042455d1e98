"""Places: the boundary cache (shapes), the gazetteer (DOPA codes and names, CODI regions) and
the matcher that turns free-text place names into codes."""
