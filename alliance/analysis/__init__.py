"""One module per chapter's question (and the scorecard's rule). May import ``alliance.data`` and
``alliance.present``; never ``alliance.build``. Chapters import from here.
"""
