"""The house style: the chart theme and fonts, the escaping table renderer and glue helpers.
May import ``alliance.data`` only.
"""
