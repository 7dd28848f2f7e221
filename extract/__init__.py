"""Reading and extraction: bytes → text → document tree → obligation units."""
