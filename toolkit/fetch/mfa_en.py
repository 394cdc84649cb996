"""MFA English (fmprc.gov.cn): the Regular Press Conference listing of the Spokesperson's Remarks section.

The 2020 layout lists 40 conferences a page (``default.shtml``, ``default_1.shtml`` ... announced by a pager
script); the 2024 layout moved the section to ``/eng/xw/fyrbt/lxjzh/``. The listing mixes conferences with a
few "Spokesperson's Remarks" pages, which are kept (their kind is ``remarks``).
"""
import re

from .sites import Section, SiteAdapter

ADAPTER = SiteAdapter(
    name="mfa_en",
    source="mfa",
    lang="en",
    sections=(
        Section("regular_press_conference", (
            "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/default.shtml",
            "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/index.html",
        )),
    ),
    article_path=re.compile(r"/(?:2511_665403|eng/xw/fyrbt/lxjzh)/(?:\d{6}/)?t\d+(?:_\d+)?\.s?html?$"),
)
