"""Every string the site and its scripts show, in English and Chinese, and how pages print them.

Templates call `tr("key")`, which writes both languages (the page shows the one chosen); scripts
read the `js.*` strings from a JSON block every page carries. Vocabulary labels (算力券, 市, 企业 …)
come from schema.glossary; record text comes from the data. A test walks every page in Chinese and
fails on any English string of this table that is visible.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..schema.glossary import NOT_STATED

STRINGS: dict[str, tuple[str, str]] = {
    # --- frame
    "site.skip": ("Skip to content", "跳到正文"),
    "nav.main": ("Main", "主导航"),
    "nav.overview": ("Overview", "总览"),
    "nav.vouchers": ("Vouchers", "算力券"),
    "nav.targets": ("Targets", "目标"),
    "nav.data": ("Data", "数据"),
    "nav.changes": ("What changed", "数据更新"),
    "nav.crumbs": ("You are here", "当前位置"),
    "lang.switch": ("Switch language", "切换语言"),
    "search.label": ("Search places, policies, vouchers and quotes", "搜索地区、政策、补贴与原文"),
    "footer.every_figure": ("Every figure links to the sentence it came from.", "每个数字都链接到其来源句子。"),
    "footer.sources_dated": ("Sources dated {start} – {end}.", "来源日期：{start}至{end}。"),
    "footer.all_places": ("All places", "全部地区"),
    "footer.data": ("Data and how to cite", "数据与引用"),
    "gap.long": (NOT_STATED["en"], NOT_STATED["zh"]),
    "gap.legend": ("— not stated in the sources", "— 来源未说明"),
    "note.label": ("Note:", "说明（英文）："),
    "sources": ("Sources", "来源"),
    "source": ("Source", "来源"),
    "filter.label": ("Filter", "筛选"),
    # --- titles
    "title.overview": ("Overview", "总览"),
    "title.vouchers": ("Compute vouchers", "算力券"),
    "title.targets": ("Targets", "发展目标"),
    "title.data": ("Data", "数据下载"),
    # --- overview
    "home.h1": (
        "AI-industry policies of Chinese cities, cited sentence by sentence",
        "中国城市人工智能产业政策对比，逐句可查",
    ),
    "home.lede": (
        "Compute vouchers, funds, targets and figures of {cities} cities, from {sources} news articles. "
        "Click any figure to read the sentence it came from.",
        "汇集{cities}个城市的算力券、产业基金、发展目标与产业数据，来源为{sources}篇新闻报道。点击任一数字即可查看其出处原句。",
    ),
    "home.caption": ("Overview: places against what analysts compare", "总览：各地政策要素对比"),
    "home.sort_hint": ("Select a column heading to sort by it.", "点击列标题可按该列排序。"),
    "col.place": ("Place", "地区"),
    "col.compute_rate": ("Compute voucher: rate", "算力券：比例"),
    "col.cap": ("Cap", "上限"),
    "col.pool": ("Pool", "总额"),
    "col.funds": ("Funds", "产业基金"),
    "col.targets": ("Headline targets", "主要目标"),
    "col.ai_firms": ("AI firms", "人工智能企业"),
    "col.industry_scale": ("Industry scale", "产业规模"),
    "col.policies": ("Policies", "政策文件"),
    "col.instrument": ("Instrument", "政策工具"),
    "col.terms": ("Terms", "条款"),
    "col.policy": ("Policy", "政策文件"),
    "col.target": ("Target", "目标"),
    "col.floor": ("Floor", "底线值"),
    "col.stretch": ("Stretch (力争)", "力争值"),
    "col.deadline": ("Deadline", "期限"),
    "col.status": ("Status", "进展"),
    "col.topic": ("Topic", "类别"),
    "col.figure": ("Figure", "指标"),
    "col.value": ("Value", "数值"),
    "col.as_of": ("As of", "时间"),
    "home.places": ("All places", "全部地区"),
    "home.sources": ("Sources", "来源"),
    "striving_for": ("striving for", "力争"),
    # --- figures
    "a_year": ("a year", "每年"),
    "in_total": ("in total", "总额"),
    "over_years": ("over {n} years", "{n}年"),
    "of_the": ("of the {basis}", "（{basis}）"),
    "before": ("before:", "此前："),
    "term.rate": ("Rate", "比例"),
    "term.cap": ("Cap", "上限"),
    "term.pool": ("Pool", "总额"),
    "term.for": ("For", "对象"),
    "term.benefit": ("Benefit", "待遇"),
    # --- place pages
    "place.at_a_glance": ("At a glance", "概览"),
    "place.contents": ("On this page", "本页内容"),
    "place.part_of": ("Part of", "隶属"),
    "place.aliases": ("Also called", "又称"),
    "place.in_it.province": ("Cities", "下辖城市"),
    "place.in_it.city": ("Districts and zones", "辖区与园区"),
    "place.in_it.district": ("Zones", "园区"),
    "place.records_here": ("{n} records", "{n}条记录"),
    "place.no_records": ("No records of its own", "暂无本地记录"),
    "place.parent_records": (
        "Measures of the places it belongs to are on their own pages; the sources do not say whether they apply here.",
        "所属上级地区的政策见其页面；来源未说明是否适用于本地。",
    ),
    "place.subplace_records": (
        "Records of its districts and zones are included and tagged with their place.",
        "本页包含下辖区与园区的记录，并标注所属地区。",
    ),
    "place.province_scope": (
        "Records of its cities are on the cities' own pages.",
        "下辖城市的记录见各城市页面。",
    ),
    "info.compute_rate": ("Best compute-voucher rate", "最高算力券比例"),
    "info.compute_cap": ("Largest compute-voucher cap", "最高算力券上限"),
    "info.compute_pool": ("Largest compute-voucher pool", "最大算力券总额"),
    "info.funds": ("Funds", "产业基金"),
    "info.targets": ("Headline targets", "主要目标"),
    "info.ai_firms": ("AI firms", "人工智能企业"),
    "info.industry_scale": ("Industry scale", "产业规模"),
    "info.policies": ("Policies", "政策文件"),
    "info.places": ("Districts, zones and cities", "下辖地区"),
    "section.places": ("Places in it", "下辖地区"),
    "section.compute": ("Compute vouchers and subsidies", "算力券与算力补贴"),
    "section.instruments": ("Other support measures", "其他扶持政策"),
    "section.targets": ("Targets", "发展目标"),
    "section.indicators": ("Indicators", "产业数据"),
    "section.policies": ("Policies, in date order", "政策文件（按时间）"),
    "section.institutions": ("Institutions and programmes", "机构与项目"),
    "place.indicators_caption": ("Figures about the place, with the date each refers to", "各项数据及其所指日期"),
    "place.targets_caption": (
        "Targets by deadline; the stretch is the 力争 level",
        "按期限排列；力争值为争取达到的水平",
    ),
    "issued": ("issued", "发布"),
    "period": ("period", "期限"),
    "issued_by": ("Issued by", "发布机构"),
    "replaces": ("Replaces", "取代"),
    "launched": ("Launched", "推出"),
    "since": ("since", "成立于"),
    "about": ("about", "关于"),
    "none_recorded": ("None recorded from the sources.", "来源中暂无相关记录。"),
    # --- time, eligibility and attribution on place pages (status labels: see _time_strings)
    "status.as_of": (
        "Status on {day}, the day this site was built.",
        "状态按本站生成之日（{day}）计算。",
    ),
    "history.title": ("Terms over time", "条款变化"),
    "history.since_unknown": ("since when: not stated in the sources", "起始时间来源未说明"),
    "history.from": ("from {when}", "自{when}起"),
    "history.current": ("in force now", "现行条款"),
    "history.earlier": ("earlier terms", "此前条款"),
    "history.later": ("not yet in force", "尚未生效"),
    "history.latest": ("latest terms (the measure is not in force)", "最新条款（该政策不在有效期内）"),
    "history.changes": ("What changed", "变化说明"),
    "field.rate": ("rate", "比例"),
    "field.cap": ("cap", "上限"),
    "field.pool": ("pool", "资金规模"),
    "field.benefit": ("benefit", "待遇"),
    "field.beneficiaries": ("who may claim", "适用对象"),
    "field.tiers": ("tiered terms", "分档条款"),
    "change_note.changed": ("{field} changed from {old} to {new} in {when}", "{field}自{when}起由{old}调整为{new}"),
    "change_note.pending": ("{fields} to change in {when}", "{when}起{fields}将调整"),
    "change_note.exact_date": (
        "the exact day in {when} is not stated: on {day} the earlier terms may still have applied",
        "来源未说明{when}的具体日期：{day}时可能仍适用此前条款",
    ),
    "elig.label": ("Who may claim:", "适用对象与条件："),
    "claim.label": (
        "Said by a person the article quotes, not stated by the article itself:",
        "文章所引人士的说法，非文章自身陈述：",
    ),
    "comparability.label": ("Before comparing:", "比较须知："),
    "comparability.flag": ("not like for like: why", "口径不同：说明"),
    "claim.flag": ("said by a person quoted", "引述人士的说法"),
    # --- vouchers
    "vouchers.h1": ("Compute vouchers and subsidies", "算力券与算力补贴"),
    "vouchers.lede": (
        "What each place pays back for compute (算力券, 训力券, 算力补贴), and its corpus and model vouchers.",
        "各地对算力支出的补贴（算力券、训力券、算力补贴）以及语料券、模型券。",
    ),
    "chart.rates": ("Compute-voucher rate, % of the compute spend", "算力券补贴比例（占算力支出的百分比）"),
    "chart.caps": ("Compute-voucher cap per recipient, ¥", "算力券单个主体补贴上限（元）"),
    "chart.exact": ("exact figure", "确定数值"),
    "chart.up_to": ("“up to”: the most it pays", "“最高”：补贴上限"),
    "chart.hint": (
        "Highest first. Each value links to the sentence that states it; places whose sources state none have no bar.",
        "按数值从高到低排列。每个数值链接到说明该数字的原句；来源未说明的地区不显示。",
    ),
    "chart.sources": ("Sources:", "来源："),
    "vouchers.table": ("All vouchers by place", "各地算力券一览"),
    "vouchers.caption": ("Vouchers and compute subsidies", "算力券与算力补贴"),
    "vouchers.none": ("No voucher or compute subsidy in the sources", "来源中无算力券或算力补贴"),
    "filter.none": ("No rows match this filter.", "没有符合筛选条件的行。"),
    # --- the subsidy calculator (its script writes its steps in both languages itself)
    "calc.title": ("Subsidy calculator", "补贴计算器"),
    "calc.rules": (
        "Only definite amounts are ranked; "
        "a case that depends on a class or condition you have not stated is shown on its own line, and a cap the "
        "sources do not state is never ranked.",
        "只有确定的金额参与排名；取决于未说明的类别或条件的情形逐条列出；来源未说明上限的不参与排名。",
    ),
    "calc.spend": ("Annual compute spend", "年度算力支出"),
    "calc.hint": ("e.g. 1000万, 1.2亿, 12M, 12000000", "如 1000万、1.2亿、12M、12000000"),
    "calc.applicant": ("Applicant", "申请主体"),
    "calc.applicant.enterprise": ("enterprise", "企业"),
    "calc.applicant.startup": ("startup (an enterprise)", "初创企业"),
    "calc.applicant.university": ("university", "高等院校"),
    "calc.applicant.research_institute": ("research institute", "科研机构"),
    "calc.caption": (
        "Definite amounts, best instrument per place first; ties share a rank",
        "确定金额，按地区取最高并排序；金额相同者并列",
    ),
    "calc.pays": ("Pays", "补贴额"),
    "calc.how": ("How", "计算方法"),
    "calc.conditional": (
        "Depends on something the applicant did not state — each case shown, none chosen",
        "取决于未说明的条件——逐一列出，不作选择",
    ),
    "calc.cap_unknown": (
        "Cap not stated in the sources — rate × spend is an upper bound, not ranked",
        "上限来源未说明——比例×支出仅为上限估计，不参与排名",
    ),
    # --- targets
    "targets.h1": ("Targets by deadline", "按期限排列的发展目标"),
    "targets.lede": (
        "The floor is what a plan commits to; the stretch (力争) is what it strives for.",
        "底线值为规划承诺的目标；力争值为争取达到的目标。",
    ),
    "targets.outcome_day": (
        "A target past its deadline on {day}, the day this site was built, says “outcome not stated in the "
        "sources” unless a source states it.",
        "截至本站生成之日（{day}）已过期限的目标，除非来源说明了结果，均标为“结果来源未说明”。",
    ),
    "targets.no_deadline": ("No deadline stated", "未说明期限"),
    "targets.due": ("Targets due in {year}", "{year}年到期的目标"),
    "targets.undated": ("Targets without a stated deadline", "未说明期限的目标"),
    # --- what changed (the knowledge base's git history)
    "title.changes": ("What changed", "数据更新"),
    "changes.h1": ("What changed in the data", "数据更新记录"),
    "changes.lede": (
        "The latest changes to the records and the source articles, newest first: each commit that changed them, "
        "compared with the version before it, place by place. A record still in the knowledge base links to its "
        "page.",
        "记录与来源报道的最近更新，按时间倒序：每次提交与其前一版本逐地区对比。仍在数据中的记录均链接到其页面。",
    ),
    "changes.no_git": (
        "The history of the data cannot be shown: git was not installed where this site was built.",
        "无法显示数据更新记录：生成本站的环境未安装 git。",
    ),
    "changes.not_repository": (
        "The history of the data cannot be shown: the knowledge base this site was built from is not in a git "
        "repository.",
        "无法显示数据更新记录：生成本站的数据不在 git 仓库中。",
    ),
    "changes.no_commits": (
        "No commit has changed the data yet: the knowledge base's repository holds no committed version of it.",
        "尚无更改数据的提交：仓库中还没有已提交的数据版本。",
    ),
    "changes.first": (
        "The first version of the knowledge base: nothing before it to compare with.",
        "数据的第一个版本，此前无可比较的版本。",
    ),
    "changes.parent_missing": (
        "The version before it is not in this copy of the repository, so what it changed cannot be listed.",
        "本仓库副本中没有其前一版本，无法列出更改内容。",
    ),
    "changes.invalid_new": (
        "The data at this commit does not pass today's checks, so what it changed cannot be listed.",
        "该提交的数据未通过当前的校验，无法列出更改内容。",
    ),
    "changes.invalid_old": (
        "The data before this commit does not pass today's checks, so what it changed cannot be listed.",
        "该提交之前的数据未通过当前的校验，无法列出更改内容。",
    ),
    "changes.unreadable": ("This commit's data could not be read from the repository.", "无法从仓库读取该提交的数据。"),
    "changes.none": (
        "None of the latest commits changed a record, a figure or a source.",
        "最近的提交均未更改记录、数字或来源。",
    ),
    "changes.message": ("Commit message (in English):", "提交说明（英文）："),
    "changes.full_message": ("Full message (in English)", "完整说明（英文）"),
    "changes.long": ("longer text, before and after", "较长文字，修改前后"),
    "changes.gone": ("no longer in the data", "已不在数据中"),
    "changes.formerly": ("formerly", "原为"),
    "changes.sources": ("Source articles", "来源报道"),
    "changes.old": ("before", "原"),
    "changes.new": ("after", "现"),
    "changes.yes": ("yes", "是"),
    "changes.no": ("no", "否"),
    "changes.count.records": ("records", "记录"),
    "changes.count.facts": ("figures", "数字"),
    "changes.count.sources": ("sources", "来源"),
    "change.added": ("added", "新增"),
    "change.removed": ("removed", "删除"),
    "change.changed": ("changed", "修改"),
    "change.renamed": ("renamed", "更名"),
    "kind.place": ("place", "地区"),
    "kind.policy": ("policy", "政策文件"),
    "kind.instrument": ("support measure", "扶持政策"),
    "kind.target": ("target", "目标"),
    "kind.indicator": ("indicator", "产业数据"),
    "kind.institution": ("institution", "机构"),
    "kind.source": ("source article", "来源报道"),
    **{
        f"field_name.{key}": words
        for key, words in {
            "note": ("note", "说明"),
            "said_by": ("said by", "说法来源"),
            "sources": ("quotes", "引文"),
            "comparability": ("comparability note", "比较须知"),
            "title": ("title", "标题"),
            "untitled": ("untitled", "无标题"),
            "kind": ("kind", "类别"),
            "issuer": ("issued by", "发布机构"),
            "level": ("level", "层级"),
            "first_seen": ("first seen", "首次出现"),
            "established": ("established", "成立时间"),
            "summary": ("summary", "摘要"),
            "issued": ("issued", "发布时间"),
            "as_of": ("as of", "时间"),
            "changes": ("later terms", "后续条款"),
            "metric": ("what it measures", "指标"),
            "beneficiaries": ("who may claim", "适用对象"),
            "name": ("name", "名称"),
            "jurisdiction": ("place", "地区"),
            "policy": ("policy", "政策文件"),
            "supersedes": ("replaces", "取代"),
            "amends": ("amends", "修订"),
            "effective": ("in force", "生效期间"),
            "period": ("period", "期限"),
            "document_number": ("document number", "文号"),
            "short_names": ("short names", "简称"),
            "aliases": ("also called", "又称"),
            "parent": ("part of", "隶属"),
            "topic": ("topic", "类别"),
            "deadline": ("deadline", "期限"),
            "status": ("status", "进展"),
            "subject": ("about", "关于"),
            "tiers": ("tier", "分档"),
            "condition": ("condition", "条件"),
            "group": ("group", "对象"),
            "class": ("class", "类别"),
            "rate_basis": ("rate is a share of", "比例基数"),
            "launched": ("launched", "推出时间"),
            "cap": ("cap", "上限"),
            "pool": ("pool", "资金规模"),
            "per": ("per", "计算单位"),
            "over": ("years", "年限"),
            "relaxable": ("can be relaxed", "可放宽"),
            "date": ("date", "日期"),
            "start": ("start", "起始"),
            "end": ("end", "截止"),
            "basis": ("how it was inferred", "推断依据"),
            "zh": ("Chinese text", "中文"),
            "en": ("English text", "英文"),
            "outlet": ("outlet", "媒体"),
            "headline": ("headline", "标题"),
            "published": ("published", "发布时间"),
            "date_basis": ("how the date was inferred", "日期推断依据"),
            "script": ("script", "字体"),
            "url": ("link", "链接"),
        }.items()
    },
    # --- data
    "data.h1": ("Data downloads", "数据下载"),
    "data.lede": (
        "The whole knowledge base, in the same form as the command-line export.",
        "完整数据，格式与命令行导出相同。",
    ),
    "data.json": (
        "everything: sources, places, policies, instruments, targets, indicators, institutions and facts",
        "全部内容：来源、地区、政策、政策工具、目标、数据、机构与事实",
    ),
    "data.csv": (
        "one row per number, with unit, bound, text as written and source quote",
        "每个数字一行，含单位、边界、原文与引文",
    ),
    "data.sqlite": (
        "tables linked by keys, with a full-text index that finds Chinese text",
        "以键关联的数据表，含可检索中文的全文索引",
    ),
    "data.schema": ("the format of a place file, for editors", "地区文件格式说明（供编辑器使用）"),
    "data.datapackage": (
        "describes facts.csv and citypolicy.json for data tools (Frictionless data package: fields, types, units)",
        "供数据工具读取的 facts.csv 与 citypolicy.json 说明（Frictionless 数据包：字段、类型、单位）",
    ),
    "data.metadata": (
        "table and column descriptions for Datasette: datasette citypolicy.sqlite -m metadata.json",
        "供 Datasette 使用的表与列说明：datasette citypolicy.sqlite -m metadata.json",
    ),
    "data.counts": ("What is in it", "数据规模"),
    "data.counts_caption": ("Records by kind", "各类记录数"),
    "count.jurisdictions": ("places", "地区"),
    "count.policies": ("policies", "政策文件"),
    "count.instruments": ("instruments", "政策工具"),
    "count.targets": ("targets", "发展目标"),
    "count.indicators": ("indicators", "产业数据"),
    "count.institutions": ("institutions and programmes", "机构与项目"),
    "count.sources": ("source articles", "来源报道"),
    "count.quotes_verified": ("quotes checked against their articles", "已核对原文的引文"),
    "data.how_to_cite": ("How to cite", "引用方式"),
    "data.cite_text": (
        "Cite the original article and its sentence: every record carries both. For the compilation:",
        "请引用原始报道及原句（每条记录均含二者）。引用本数据集：",
    ),
    "data.cite_line": (
        "citypolicy knowledge base, sources dated {start} to {end}. "
        "Name of the record, quoting the outlet, headline and date of its article.",
        "citypolicy 数据集，来源日期{start}至{end}。记录名称，并注明所引报道的媒体、标题与日期。",
    ),
    # --- sources
    "src.outlet": ("Outlet", "媒体"),
    "src.published": ("Published", "发布时间"),
    "src.inferred": ("How the date was inferred (in English)", "日期推断依据（英文）"),
    "src.date_unknown": ("date not known", "日期不详"),
    "src.why_unknown": ("Why it cannot be told (in English)", "无法确定日期的原因（英文）"),
    "src.script": ("Script", "字体"),
    "src.traditional": ("Traditional Chinese", "繁体中文"),
    "src.simplified": ("Simplified Chinese", "简体中文"),
    "src.original": ("Original", "原文链接"),
    "src.no_url": ("link to the original not recorded", "未记录原文链接"),
    "src.lede": (
        "Highlighted passages are cited by records; each paragraph lists the records that cite it.",
        "高亮部分为被记录引用的原文；每段之后列出引用该段的记录。",
    ),
    "src.cited_by": ("Cited by", "引用记录"),
    "src.citing": ("Records citing this article", "引用本文的记录"),
    "src.reading": ("Reading view", "阅读方式"),
    "src.view_original": ("As published (Traditional)", "原文（繁体）"),
    "src.view_simplified": ("Simplified", "简体"),
    "src.untitled": ("(no headline printed)", "（原文无标题）"),
    # --- reports
    "report.title_compare": ("{places} compared: AI-industry policy", "{places}人工智能产业政策对比"),
    "report.title_city": ("{place}: AI-industry policy profile", "{place}人工智能产业政策概况"),
    "report.title_vouchers": ("Compute vouchers and subsidies by city", "各城市算力券与算力补贴"),
    "report.title_targets": ("Targets by deadline", "按期限排列的发展目标"),
    "report.prepared": ("Prepared {date}", "编制日期：{date}"),
    "report.relaxable": ("the cap can be relaxed: {when}", "上限可放宽：{when}"),
    "report.terms_as_of": ("terms in force on {date}", "所列条款为{date}有效者"),
    "report.sources_as_of": ("sources dated {start} to {end}", "来源日期：{start}至{end}"),
    "report.summary": ("Summary", "摘要"),
    "report.glance": ("At a glance: the headline figures", "概览：主要数字"),
    "report.comparability": ("Before comparing", "比较须知"),
    "report.instruments": ("Support measures", "扶持政策"),
    "report.targets": ("Targets", "发展目标"),
    "report.indicators": ("Indicators", "产业数据"),
    "report.policies": ("Policy documents", "政策文件"),
    "report.institutions": ("Institutions and programmes", "机构与项目"),
    "report.sources": ("Sources", "来源"),
    "report.sources_intro": (
        "Each note names the article and quotes the sentence that states the figure.",
        "每条注释列出报道出处并引用说明该数字的原句。",
    ),
    "report.intro": (
        "Every figure carries a footnote with its source article and the sentence it came from; "
        "“—” means the sources do not state it.",
        "每个数字均附脚注，注明来源报道及原句；“—”表示来源未说明。",
    ),
    "report.dimension": ("", ""),
    "report.place": ("Place", "地区"),
    "report.instrument": ("Measure", "政策工具"),
    "report.terms": ("Terms", "条款"),
    "report.beneficiaries": ("For", "对象"),
    "report.policy": ("Policy", "政策文件"),
    "report.target": ("Target", "目标"),
    "report.deadline": ("Deadline", "期限"),
    "report.rate": ("rate", "比例"),
    "report.cap": ("cap", "上限"),
    "report.pool": ("pool", "总额"),
    "report.colon": (": ", "："),
    "report.no_terms": ("no terms stated in the sources", "来源未说明具体条款"),
    "report.not_stated": ("not stated in the sources", "来源未说明"),
    "report.none": ("None recorded from the sources.", "来源中暂无相关记录。"),
    "report.no_vouchers": (
        "No compute voucher or subsidy rate is stated in the sources for {places}.",
        "来源中未见{places}的算力券或算力补贴比例。",
    ),
    "report.no_voucher": ("no voucher or compute subsidy in the sources", "来源中无算力券或算力补贴"),
    "report.over_years": ("over {n} years", "（{n}年）"),
    "report.striving_for": ("striving for", "力争"),
    "report.by": ("by {when}", "（{when}）"),
    "report.as_of": ("({when})", "（{when}）"),
    "report.counts": (
        "on record: policies {policies}, support measures {instruments}, targets {targets}, indicators {indicators}",
        "收录：政策文件{policies}、扶持政策{instruments}、发展目标{targets}、产业数据{indicators}",
    ),
    "report.vouchers_summary": (
        "{n} of {total} cities have a compute voucher or subsidy in the sources.",
        "{total}个城市中有{n}个在来源中有算力券或算力补贴。",
    ),
    "report.targets_summary": ("{n} targets, earliest deadline first.", "共{n}项目标，按期限先后排列。"),
    "report.note_levels": (
        "The places are of different levels ({places}): a district's figures are not a city's.",
        "所比较地区层级不同（{places}）：区级数据不等同于市级数据。",
    ),
    "report.note_bases": (
        "Voucher rates are shares of different things — {list}.",
        "各地补贴比例的计算基数不同——{list}。",
    ),
    "report.basis_not_stated": ("basis not stated", "基数未说明"),
    "report.note_periods": ("Caps run over different periods — {list}.", "补贴上限的期限不同——{list}。"),
    "report.period_not_stated": ("period not stated", "期限未说明"),
    "report.note_up_to": (
        "“Up to” figures are the most a measure pays, not what every applicant receives.",
        "“最高”数值为政策上限，并非每个申请者都能获得。",
    ),
    "report.note_dates": (
        "Indicators refer to different dates, from {start} to {end}: compare like with like.",
        "产业数据所指时间不同（{start}至{end}），比较时请注意时间口径。",
    ),
    "report.note_gaps": (
        "A gap means the sources do not state the figure, not that the place has none.",
        "空缺表示来源未说明，并不代表该地没有相关政策。",
    ),
    # --- scripts
    "js.no_match": ("No match for “{q}”.", "没有与“{q}”匹配的结果。"),
    "js.results": ("{n} results", "{n}条结果"),
    "js.loading": ("Loading the search index…", "正在加载搜索索引…"),
    "js.kind.place": ("place", "地区"),
    "js.kind.policy": ("policy", "政策"),
    "js.kind.instrument": ("support measure", "扶持政策"),
    "js.kind.target": ("target", "目标"),
    "js.kind.indicator": ("figure", "数据"),
    "js.kind.institution": ("institution", "机构"),
    "js.kind.quote": ("quote", "原文"),
    "js.filter_none": ("No rows match this filter.", "没有符合筛选条件的行。"),
    "js.sort": ("Sort by this column", "按此列排序"),
    "js.followed": ("You followed {figure} — {what}.", "您查看的数字：{figure}（{what}）。"),
    "js.followed_passage": ("You followed a citation of {what}.", "您查看的是{what}的引文。"),
    "js.back": ("Back to where you came from", "返回来源页面"),
    "js.back_to": ("Back to {page}", "返回{page}"),
    "js.page.index": ("the overview", "总览"),
    "js.page.vouchers": ("the vouchers page", "算力券页面"),
    "js.page.targets": ("the targets page", "目标页面"),
    "js.page.data": ("the data page", "数据页面"),
    "js.lang_button": ("中文", "English"),
}


def _time_strings() -> dict[str, tuple[str, str]]:
    """Status and target-outcome labels, in the words `show` and `targets` print (ask/timeline)."""
    from ..ask.timeline import NO_END, OUTCOME_LABELS, STATUS_LABELS

    out = {f"status.{status.value}": (en, zh) for status, (zh, en) in STATUS_LABELS.items()}
    en, zh = out["status.in_force"]
    out["status.in_force_no_end"] = (f"{en} ({NO_END[1]})", f"{zh}（{NO_END[0]}）")
    out.update({f"outcome.{key}": (en, zh) for key, (zh, en) in OUTCOME_LABELS.items()})
    return out


STRINGS.update(_time_strings())

LANGS = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def text(key: str, lang: str, **values: object) -> str:
    en, zh = STRINGS[key]
    template = zh if lang == "zh" else en
    return template.format(**values) if values else template


def both(en: object, zh: object) -> Markup:
    """Two spans, one per language; the stylesheet shows the page's language."""
    # Concatenated rather than Markup.format: pages call this hundreds of thousands of times.
    return Markup(f'<span class="t" lang="en">{escape(en)}</span><span class="t" lang="zh-Hans">{escape(zh)}</span>')


_PLAIN: dict[str, Markup] = {}


def tr(key: str, **values: object) -> Markup:
    """A UI string in both languages; values (already safe markup or text) fill its {slots}."""
    if not values:
        if key not in _PLAIN:
            _PLAIN[key] = both(*STRINGS[key])
        return _PLAIN[key]
    en, zh = STRINGS[key]
    en_values = {k: _pick(v, "en") for k, v in values.items()}
    zh_values = {k: _pick(v, "zh") for k, v in values.items()}
    return both(Markup(escape(en)).format(**en_values), Markup(escape(zh)).format(**zh_values))


def _pick(value: object, lang: str) -> object:
    """A slot value may differ by language: a (en, zh) pair or a {lang: value} mapping."""
    if isinstance(value, tuple) and len(value) == 2:
        return value[0] if lang == "en" else value[1]
    if isinstance(value, dict):
        return value[lang]
    return value


def script_strings() -> dict[str, dict[str, str]]:
    """What the scripts may write, keyed without the `js.` prefix."""
    return {key[3:]: {"en": en, "zh": zh} for key, (en, zh) in STRINGS.items() if key.startswith("js.")}


def english_ui_strings() -> set[str]:
    """English strings that must never show on a page in Chinese (those that differ from their zh)."""
    out = set()
    for key, (en, zh) in STRINGS.items():
        if en != zh and not key.startswith("report.") and key != "js.lang_button" and re.search("[A-Za-z]", en):
            out.add(en)
    return out
