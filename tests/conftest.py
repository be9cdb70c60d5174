import pytest

from review_evidence.paths import seeds_dir


@pytest.fixture(scope="session")
def seeds():
    """The seed texts; CI always has them beside the repo, so only a bare checkout skips."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"seed texts not found at {folder} (set REVIEW_SEEDS_DIR or place ../shared/seeds)")
    return folder
