"""Validating, executing and publishing the book: the validator, the runner, the site and PDF steps
and the Sphinx extensions. May import ``alliance.data`` and ``alliance.present``; never
``alliance.analysis`` (a build step must not compute results) and is never imported by a chapter.
"""
