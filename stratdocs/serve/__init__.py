"""`stratdocs serve`: a live preview that rebuilds only what an edit affects."""
