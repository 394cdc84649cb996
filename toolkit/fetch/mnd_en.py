"""MND English: the 2025 press-conference list, the 2021-2024 lists of eng.mod.gov.cn and eng.chinamil.com.cn.

Listings walked: ``eng.mod.gov.cn/2025xb/P/D_251802/index.html`` (2025 redesign, articles ``/2025xb/P/<id>.html``),
``eng.mod.gov.cn/xb/News_213114/NewsRelease/index.html``, ``eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/
index.html`` and ``eng.chinamil.com.cn/VOICES/index.html`` (each article once: the first listing wins).
Briefing titles read "Regular Press Conference of the Ministry of National Defense on <Month D>" (2020-2025) or
"Defense Ministry's Regular Press Conference on <Month D>" (2018-2019).

Article addresses over the years (all recognised): ``/Press/2015-01/29/content_4567609.htm``,
``/view/2018-06/29/content_8075007.htm``, ``/CHINA_209163/TopStories_209189/9300000.html``,
``/VOICES/MinistryofNationalDefense_209794/16284683.html``, ``/xb/News_213114/NewsRelease/16338616.html``,
``/2025xb/V_251452/N.html``. The listings mix briefings with other news and commentary, so only entries
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
        Section("mod_press_2025", ("http://eng.mod.gov.cn/2025xb/P/D_251802/index.html",), BRIEFING_TITLE),
        Section("mod_news_release", ("http://eng.mod.gov.cn/xb/News_213114/NewsRelease/index.html",), BRIEFING_TITLE),
        Section("chinamil_mnd", ("http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/index.html",),
                BRIEFING_TITLE),
        Section("chinamil_voices", ("http://eng.chinamil.com.cn/VOICES/index.html",), BRIEFING_TITLE),
    ),
    article_path=re.compile(r"/(?:content_\d+\.htm|\d{5,9}\.html)$"),
)
