"""浙里好成果: load → validate → model → render, for the provincial major S&T achievements library."""
