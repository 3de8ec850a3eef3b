"""The data package and the record's shared rules: loading and fingerprinting tables, the catalogue of
coverage, the source registry and the edition. Imports nothing else from ``alliance``.
"""
