"""The book's build machinery: Sphinx extensions that Jupyter Book loads from ``_config.yml``.

Kept apart from the analysis library (the rest of ``review_evidence``): these modules may import the
library (the data fingerprint reads the table declarations), the library and the notebooks never
import them, and importing ``review_evidence`` does not load Sphinx.
"""
