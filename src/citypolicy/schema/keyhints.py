"""Which key an analyst meant when a record has an unknown one: by meaning first, then by spelling.

Edit distance alone suggests `rate` for `rate_base` (it contains it) and nothing for `percentage`.
So a table maps the words people write for a field to the field, and only the keys the record's
own model allows are ever suggested; spelling (rapidfuzz) decides only when the table says nothing.
"""

from __future__ import annotations

# A word people write -> the fields it may mean, most likely first. Only fields of the record in
# question are suggested, so one word may stand for fields of different record kinds.
MEANINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("rate_base", "base", "rate_of", "share_of", "basis_of_rate"), ("rate_basis",)),
    "basis": ("rate_basis", "date_basis"),
    **dict.fromkeys(("percentage", "percent", "ratio", "share", "proportion", "subsidy_rate"), ("rate",)),
    **dict.fromkeys(("max", "maximum", "ceiling", "limit", "upper_limit", "max_amount", "cap_amount"), ("cap",)),
    **dict.fromkeys(("total", "budget", "fund_size", "size", "scale", "pool_size", "total_amount"), ("pool",)),
    **dict.fromkeys(("type", "category", "sort"), ("kind", "level", "topic")),
    **dict.fromkeys(("city", "place", "region", "location", "area", "district"), ("jurisdiction", "parent")),
    **dict.fromkeys(("province", "parent_id", "parent_place", "belongs_to"), ("parent",)),
    **dict.fromkeys(("source", "citation", "citations", "quotes", "refs", "references", "reference"), ("sources",)),
    **dict.fromkeys(("doc", "article", "seed", "source_file", "filename"), ("document", "file")),
    **dict.fromkeys(("text", "excerpt", "passage", "sentence"), ("quote",)),
    **dict.fromkeys(("date", "time", "when", "on"), ("issued", "launched", "as_of", "deadline", "published", "date")),
    "year": ("deadline", "as_of", "issued", "published"),
    **dict.fromkeys(
        ("recipients", "eligible", "who", "beneficiary", "applicants", "eligibility"), ("beneficiaries", "group")
    ),
    **dict.fromkeys(("classes", "levels", "brackets", "tier", "grades", "bands"), ("tiers",)),
    **dict.fromkeys(("applicant_class", "class_", "grade", "band", "category_class"), ("class",)),
    **dict.fromkeys(("description", "desc", "details", "content", "abstract"), ("summary", "note", "topic")),
    **dict.fromkeys(("notes", "comment", "comments", "remark", "remarks"), ("note",)),
    **dict.fromkeys(("chinese", "zh_name", "name_zh", "cn", "zh_cn"), ("zh",)),
    **dict.fromkeys(("english", "en_name", "name_en"), ("en",)),
    **dict.fromkeys(("goal", "target_value", "floor", "amount"), ("value", "amount")),
    **dict.fromkeys(("aim", "ambition", "striving", "lizheng", "max_target"), ("stretch",)),
    **dict.fromkeys(("due", "due_date", "by", "target_year", "target_date"), ("deadline",)),
    **dict.fromkeys(("as_at", "asof", "date_as_of", "as_of_date"), ("as_of",)),
    **dict.fromkeys(("frequency", "every", "interval", "per_period"), ("period",)),
    **dict.fromkeys(("start_date", "begin", "from", "valid_from"), ("start",)),
    **dict.fromkeys(("end_date", "until", "to", "valid_until", "expires"), ("end",)),
    **dict.fromkeys(("policy_id", "measure", "measures", "programme", "program", "plan"), ("policy",)),
    **dict.fromkeys(("document_no", "doc_number", "doc_no", "wenhao", "number"), ("document_number",)),
    **dict.fromkeys(("issuer_name", "issued_by", "authority", "department", "issuers"), ("issuer",)),
    **dict.fromkeys(("alias", "other_names", "names", "also_known_as"), ("aliases",)),
    **dict.fromkeys(("founded", "created", "since", "set_up"), ("established", "launched")),
    **dict.fromkeys(("short_name", "abbreviation", "nickname", "shortname", "abbr"), ("short_names",)),
    **dict.fromkeys(("replaces", "supersede", "replaced", "previous"), ("supersedes",)),
    **dict.fromkeys(("amendments", "amend", "modifies"), ("amends",)),
    **dict.fromkeys(("history", "updates", "revisions", "change"), ("changes",)),
    **dict.fromkeys(("indicator", "measure_name", "metric_name", "what"), ("metric",)),
    **dict.fromkeys(("subject_id", "about", "concerns"), ("subject",)),
    **dict.fromkeys(("media", "publisher", "newspaper", "outlet_name"), ("outlet",)),
    **dict.fromkeys(("title", "heading", "headline_zh"), ("title", "headline", "name")),
    **dict.fromkeys(("link", "href", "source_url"), ("url",)),
    **dict.fromkeys(("launch", "launched_on", "start_year"), ("launched",)),
    **dict.fromkeys(("issue_date", "issued_on", "released", "published_on"), ("issued",)),
}


def suggest_key(key: str, allowed: list[str]) -> str | None:
    """The allowed key `key` most likely stands for, or None."""
    word = key.strip().lower().replace("-", "_").replace(" ", "_")
    if word in allowed:
        return word  # a case or hyphen slip: Rate, rate-basis
    for meant in MEANINGS.get(word, ()):
        if meant in allowed:
            return meant
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, allowed, scorer=fuzz.ratio, score_cutoff=70)
    return best[0] if best else None
