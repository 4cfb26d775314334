"""Every module that registers job kinds, imported by the worker so it knows them all."""

__all__: list[str] = []
