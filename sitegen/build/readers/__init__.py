"""Readers turn a decoded source file into a RawDocument (front matter + Markdown body)."""
