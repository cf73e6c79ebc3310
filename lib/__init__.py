"""Pure numpy library: every number the scenes show is computed here."""
