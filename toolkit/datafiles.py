"""The packaged data files (``toolkit/data/*.csv``) and the user's replacements for them.

Every lexicon, phrase list and gazetteer goes through :func:`read_data_table`, so a researcher can
pass the packaged file, a CSV of their own or a DataFrame wherever the toolkit takes one.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._checks import ToolkitError, require_columns

DATA = Path(__file__).resolve().parent / "data"


def read_data_table(source, *, default: str, columns: list[str], func: str, arg: str) -> pd.DataFrame:
    """Read a packaged CSV, a user's CSV or a DataFrame, and check that it has ``columns``.

    Parameters
    ----------
    source : None, "default", str, Path or DataFrame
        ``None`` or ``"default"``: the packaged ``toolkit/data/<default>``; a path: that CSV file;
        a DataFrame: a copy of it.
    default : str
        File name of the packaged table (``"phrases.csv"``).
    columns : list of str
        Required columns.
    func, arg : str
        The calling public function and its argument, for error messages.

    Returns
    -------
    DataFrame
        The table; CSV cells are read as strings, empty cells as ``""``.
    """
    if source is None or (isinstance(source, str) and source == "default"):
        source = DATA / default
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ToolkitError(f"{func}(): {arg} file {str(path)!r} does not exist; pass a CSV with columns "
                               f"{columns} (see toolkit/data/{default}), a DataFrame, or 'default'.")
        return _checked(pd.read_csv(path, keep_default_na=False, dtype=str), columns, func, arg)
    if isinstance(source, pd.DataFrame):
        return _checked(source.copy(), columns, func, arg)
    raise ToolkitError(f"{func}(): {arg} must be a CSV path, a DataFrame or 'default'; got {type(source).__name__}.")


def _checked(table: pd.DataFrame, columns: list[str], func: str, arg: str) -> pd.DataFrame:
    require_columns(table, columns, func=func, arg=arg)
    return table
