"""The installed version of trustkg, from the package metadata (one source: pyproject.toml).

Kept in ``core`` so that modules that stamp the version (the dataset description, the CLI's
``--version``) need not import the package's ``__init__``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trustkg")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
