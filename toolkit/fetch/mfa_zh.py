"""MFA Chinese (fmprc.gov.cn): 发言人表态 (2020 layout: 例行记者会, 答记者问, 发言人表态) and 记者会实录 (later layout).

Article links are ``./t1680056.shtml`` (2020) or ``./202401/t20240102_11215123.shtml``; pages are announced
by the pager script (``default_1.shtml`` ... / ``index_1.shtml`` ...).
"""
import re

from .sites import Section, SiteAdapter

ADAPTER = SiteAdapter(
    name="mfa_zh",
    source="mfa",
    lang="zh",
    sections=(
        Section("fyrbt", (
            "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/default.shtml",
            "https://www.fmprc.gov.cn/web/fyrbt_673021/jzhsl_673025/index.shtml",
        )),
    ),
    article_path=re.compile(r"/(?:fyrbt_674889|jzhsl_673025)/(?:\d{6}/)?t\d+(?:_\d+)?\.s?html?$"),
)
