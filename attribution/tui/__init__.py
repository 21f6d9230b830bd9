"""The review app (Textual): screens and widgets call the store; no SQL here."""
