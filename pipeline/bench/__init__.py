"""`vmtriage bench`: performance measured side by side (see README, "Performance")."""
