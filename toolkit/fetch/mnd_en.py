"""MND English: eng.mod.gov.cn News Release listing and the VOICES listing of eng.chinamil.com.cn.

Article addresses over the years (all recognised): ``/Press/2015-01/29/content_4567609.htm``,
``/view/2018-06/29/content_8075007.htm``, ``/CHINA_209163/TopStories_209189/9300000.html``,
``/VOICES/MinistryofNationalDefense_209794/16284683.html``, ``/xb/News_213114/NewsRelease/16338616.html``,
``/2025xb/V_251452/N.html``. Both listings mix briefings with other news and commentary, so only entries
whose title speaks of a press conference, a spokesperson, the Defense Ministry or names a spokesperson are kept.
"""
import re

from .sites import Section, SiteAdapter

SPOKESPERSONS = ("Geng Yansheng", "Yang Yujun", "Wu Qian", "Ren Guoqiang", "Tan Kefei", "Zhang Xiaogang", "Jiang Bin")
BRIEFING_TITLE = re.compile(
    r"press (?:conference|briefing)|news conference|spokes(?:person|man|woman)|defen[cs]e ministry|"
    r"ministry of national defen[cs]e|\bMND\b|\bMOD\b|remarks|answers|media quer|Q\s*&\s*A|"
    + "|".join(SPOKESPERSONS),
    re.I,
)

ADAPTER = SiteAdapter(
    name="mnd_en",
    source="mnd",
    lang="en",
    sections=(
        Section("mod_news_release", ("http://eng.mod.gov.cn/xb/News_213114/NewsRelease/index.html",), BRIEFING_TITLE),
        Section("chinamil_voices", ("http://eng.chinamil.com.cn/VOICES/index.html",), BRIEFING_TITLE),
    ),
    article_path=re.compile(r"/(?:content_\d+\.htm|\d{5,9}\.html)$"),
)
