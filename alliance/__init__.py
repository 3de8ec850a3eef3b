"""Shared logic for the book: data loading and validation, charts, tables, execution."""
