"""What kind of record a file holds, from where it sits in a dataset: the one answer for the
loader, fmt and lint --changed-since."""

from __future__ import annotations

from ngocoord.codelists import FILES as CODELIST_FILES

RECORD_DIRS = {"organizations": "organization", "activities": "activity"}
DATA_EXTENSIONS = (".yaml", ".yml")


def is_data_name(name: str) -> bool:
    """os.path.splitext(name)[1] in ('.yaml', '.yml'), without splitting every name: the extension
    is what follows the last dot, unless only dots come before it ('.yaml' has no extension)."""
    for ext in DATA_EXTENSIONS:
        if name.endswith(ext):
            return name[:-len(ext)].lstrip(".") != ""
    return False


def kind_of(folder: str, name: str) -> str | None:
    """organization, activity or a codelist kind for the file `name` in the dataset's folder
    `folder` (organizations, activities, codelists); None when it is not a data file."""
    if folder in RECORD_DIRS:
        return RECORD_DIRS[folder] if is_data_name(name) else None
    if folder == "codelists" and name in CODELIST_FILES:
        return CODELIST_FILES[name][0]
    return None
