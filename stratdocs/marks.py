"""`N_()`: marks a word kept in a module-level table for extraction (`stratdocs messages`).

It imports nothing, so the analysis side (health, alignment) can mark the words it keeps
without reaching for the theme or the catalogs; the word is translated where it is shown.
"""


def N_(message: str) -> str:
    """Mark a module-level word for extraction; it is translated where it is shown."""
    return message
