"""Foundations: a light package face, plain tables between functions, one text rule, an honest cache."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import cache

HEAVY = ("numba", "seaborn", "matplotlib", "nltk", "sklearn", "trafilatura", "ipywidgets", "jieba", "gensim")
REPO = Path(__file__).resolve().parents[1]


def _imported_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = done.stdout.rsplit("loaded:", 1)[1].strip()
    return [m for m in loaded.split(",") if m]


def test_import_toolkit_loads_no_heavy_library():
    assert _imported_after("import toolkit") == []
    assert _imported_after("import toolkit; toolkit.load_briefings") == []


def test_fetch_and_summary_commands_load_no_heavy_library():
    code = ("from toolkit.cli import build_parser\n"
            "for argv in (['fetch', '--help'], ['summary', '--help'], ['report', '--help']):\n"
            "    try:\n        build_parser().parse_args(argv)\n    except SystemExit:\n        pass")
    assert _imported_after(code) == []


def test_public_names_resolve_and_are_listed():
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name
    assert callable(toolkit.provenance) and callable(toolkit.explore)


# --- plain DataFrames ----------------------------------------------------------------------------

def _round_trip(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    json.dumps(frame.attrs)
    frame.to_parquet(path)
    return pd.read_parquet(path)


def test_tables_are_plain(seed_path, tmp_path):
    briefings = toolkit.load_briefings(seed_path)
    turns = toolkit.split_turns(briefings)
    for name, table in {"briefings": briefings, "turns": turns, "dyads": toolkit.pair_dyads(turns),
                        "sentences": toolkit.split_sentences(turns)}.items():
        back = _round_trip(table, tmp_path / f"{name}.parquet")
        assert list(back.columns) == list(table.columns) and len(back) == len(table)
    assert len(pd.concat([briefings, briefings])) == 2 and len(pd.concat([turns, turns])) == 2 * len(turns)
    assert briefings.astype(str)["doc_id"].iloc[0] == briefings["doc_id"].iloc[0]


def test_cmfa_tables_are_plain(corpora, tmp_path):
    path = corpora / "cmfa_presscon_sample" / "ukraine_dataset_combined.jsonl"
    briefings, report, dyads = toolkit.load_briefings(path, with_report=True)
    back = _round_trip(briefings, tmp_path / "b.parquet")
    again = toolkit.pair_dyads(toolkit.split_turns(back))      # the original dyad columns travel with the rows
    assert len(again) == len(dyads) == 661 and again["who_asked"].notna().all()
    assert set(report["action"]) == {"loaded"}


def test_load_report_of_a_table_and_its_limit(seed_path):
    briefings, report, _ = toolkit.load_briefings(seed_path, with_report=True, use_cache=False)
    assert toolkit.load_report(briefings).equals(report)
    bare = briefings.copy()
    bare.attrs = {}
    with pytest.raises(toolkit.ToolkitError, match="with_report=True"):
        toolkit.load_report(bare)


def test_cached_tables_are_not_shared(seed_path):
    from toolkit.metadata import spokespersons_table

    table = spokespersons_table()
    table.loc[:, "name"] = "changed"
    assert "changed" not in set(spokespersons_table()["name"])
    text = ["Mr. Smith went to Washington. He said hi."]
    toolkit.train_punkt(text).abbrev_types.add("zzz")
    assert "zzz" not in toolkit.train_punkt(text).abbrev_types


# --- one text rule -------------------------------------------------------------------------------

def test_chinese_turns_without_lang_split_into_sentences():
    turns = pd.DataFrame({"doc_id": ["d"], "turn_id": [0],
                          "text": ["中方坚决反对。我们敦促美方停止挑衅！这是第三句吗？这是第四句；"]})
    sentences = toolkit.split_sentences(turns, use_cache=False)
    assert list(sentences["text"]) == ["中方坚决反对。", "我们敦促美方停止挑衅！", "这是第三句吗？", "这是第四句；"]


def test_dates_and_kinds_shared_by_loader_and_fetcher():
    from toolkit.dates import date_from_url, first_date, to_timestamp, written_date
    from toolkit.kinds import infer_kind, kind_from_title

    assert first_date("posted 2019/12/27 14:39") == written_date("Dec. 27th, 2019") == first_date("2019年12月27日")
    assert date_from_url("/202007/t20200703_1234.shtml").isoformat() == "2020-07-03"
    assert first_date("on Feb. 30, 2021") is None
    assert pd.isna(to_timestamp("2999-12-31")) and pd.isna(to_timestamp("1066-10-14"))
    assert to_timestamp("2021-01-28T10:00:00+08:00") == pd.Timestamp("2021-01-28 10:00")
    assert kind_from_title("Defense Ministry's Regular Press Conference on Nov. 28") == "regular_press_conference"
    assert infer_kind(title="", text="BEIJING, Jan. 28 -- Wu said that ...", has_labels=False) == "news_report"


# --- an honest cache -----------------------------------------------------------------------------

@pytest.fixture()
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(folder))
    return folder


def test_typed_keys_do_not_collide(cache_folder):
    texts = [None, "None", "Q: a?\x1fA: b.", "Q: a?", "1"]
    digests = {cache.frame_digest(pd.DataFrame({"doc_id": ["d"], "text": [t]}), ["doc_id", "text"]) for t in texts}
    assert len(digests) == len(texts)
    assert (cache.frame_digest(pd.DataFrame({"doc_id": [1]}), ["doc_id"])
            != cache.frame_digest(pd.DataFrame({"doc_id": ["1"]}), ["doc_id"]))
    first = toolkit.split_turns(pd.DataFrame({"doc_id": ["d"], "text": ["None"]}))
    second = toolkit.split_turns(pd.DataFrame({"doc_id": ["d"], "text": [None]}))
    assert list(first["text"]) == ["None"] and list(second["text"]) != ["None"]


@pytest.mark.parametrize("damage", ["truncate", "delete", "foreign"])
def test_damaged_entry_is_reported_and_rebuilt(cache_folder, seed_path, damage):
    expected = toolkit.load_briefings(seed_path)
    entry = next((cache_folder / "briefings").iterdir())
    target = entry / "briefings.arrow"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "delete":
        (entry / "load_report.arrow").unlink()
    else:
        pd.DataFrame({"doc_id": ["x"] * 10}).to_feather(target)
    with pytest.warns(UserWarning, match="damaged"):
        again = toolkit.load_briefings(seed_path)
    pd.testing.assert_frame_equal(again, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        toolkit.load_briefings(seed_path)          # rebuilt entry is trusted again


def test_entries_are_readable_by_others(cache_folder, seed_path):
    toolkit.load_briefings(seed_path)
    entry = next((cache_folder / "briefings").iterdir())
    assert entry.stat().st_mode & 0o005 and all(f.stat().st_mode & 0o004 for f in entry.iterdir())


def test_changed_rule_misses_the_cache(tmp_path, seed_path):
    """A copy of the package whose kind rule is edited must not return the table cached by the original rule."""
    copy = tmp_path / "pkg"
    shutil.copytree(REPO / "toolkit", copy / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
    run = ["-c", f"import toolkit; print(toolkit.load_briefings({str(seed_path)!r})['kind'].iloc[0])"]
    env = {"PYTHONPATH": str(copy), "TOOLKIT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, *run], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    kinds = copy / "toolkit" / "kinds.py"
    kinds.write_text(kinds.read_text().replace('return "news_report"', 'return "news_story"'))
    second = subprocess.run([sys.executable, *run], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert (first.stdout.strip(), second.stdout.strip()) == ("news_report", "news_story")


@settings(derandomize=True, max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("aZ9_ -'’‐.,!中文\t")), max_size=40))
def test_units_are_tokens_split_at_hyphens_and_apostrophes(text):
    """text.english_units (one regex pass) equals TOKEN_PATTERN's tokens split at '-' and "'" (its definition)."""
    import re

    from toolkit.text import TOKEN_PATTERN, english_units, fold

    split = [p for m in TOKEN_PATTERN.finditer(fold(text)) for p in re.split(r"([-'])", m.group(0)) if p]
    assert english_units(text) == split


@settings(derandomize=True, max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("aSs9_ -'’‐.,!é中\t\n")), max_size=40))
def test_token_pattern_equals_its_backtracking_form(text):
    """TOKEN_PATTERN's possessive quantifiers find what the plain greedy pattern finds (nothing after them must
    match, so backtracking never changes a match)."""
    import re

    from toolkit.text import TOKEN_PATTERN

    plain = re.compile(r"(\w+(?:-\w+)*(?:'(?!s\b)\w+)?)(?:'s\b)?|[^\w\s]")
    assert [(m.span(), m.group(1)) for m in TOKEN_PATTERN.finditer(text)] == \
        [(m.span(), m.group(1)) for m in plain.finditer(text)]


def test_token_pattern_by_hand():
    from toolkit.text import TOKEN_PATTERN, english_tokens

    assert english_tokens("China's mil-to-mil ties, don't-") == ["China", "mil-to-mil", "ties", "", "don't", ""]
    # a ('s dropped), ' b, ' sa, - ' (an apostrophe starts no word), s, x-y, -
    assert TOKEN_PATTERN.findall("a's'b 'sa-'s x-y-") == ["a", "", "b", "", "sa", "", "", "s", "x-y", ""]
    assert english_tokens("") == []


def test_detect_lang_ascii_and_cjk():
    from toolkit.text import detect_lang

    texts = ["", "Wu Qian said 3 times.", "Wu Qian said 吴", "Wu Qian 吴谦", "国防部 said so"]
    assert [detect_lang(t) for t in texts] == ["en", "en", "en", "zh", "zh"]   # CJK letters 1/11, 2/8 (>= 20 %), 3/9


def test_literal_trie_finds_the_longest_word_or_any_word():
    import re

    from toolkit.text import literal_trie

    words = ["中印", "中印尼", "US", "U.S."]
    assert literal_trie(words) == r"(?:U(?:\.S\.|S)|中印(?:尼)?)"           # written out by hand (sorted: "." < "S")
    assert literal_trie(words, longest=False) == r"(?:U(?:\.S\.|S)|中印)"   # 中印 is enough to hold one
    found = re.findall(literal_trie(words), "中印尼合作, 中印边界, U.S. and USA")
    assert found == ["中印尼", "中印", "U.S.", "US"]
    assert re.search(literal_trie([]), "anything") is None

    @given(st.lists(st.text("ab.", min_size=1, max_size=4), max_size=6), st.text("ab.", max_size=12))
    @settings(max_examples=200, deadline=None)
    def same_as_plain_alternation(words, text):
        plain = "|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) or "(?!)"
        assert re.findall(literal_trie(words), text) == re.findall(plain, text)
        assert bool(re.search(literal_trie(words, longest=False), text)) == bool(re.search(plain, text))

    same_as_plain_alternation()
