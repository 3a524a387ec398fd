"""The ``rule`` and ``article`` texts of each idle parcel, in zh and en (``rule_text``, ``article_text``).

``quota.input.idle`` decides; this module only words the decision, citing Order 53 (国土资源部令第53号) and
城市房地产管理法 Art. 26 for every figure: the class, the fee and its base, the dates, whether taking back may be
proposed (and that it needs the approving government's approval), and for a government cause its kind and options.
"""
from __future__ import annotations

from .idle_rules import CAUSE_KINDS

ALTERNATIVES = {  # a government cause whose kind is not recorded (a file without cause_kind): as before the kinds
    "zh": "延长动工开发期限(不超过一年);调整土地用途、规划条件;由政府安排临时使用;协议有偿收回;置换土地;转让、合作开发"
          "(53号令第十二条;自然资规〔2018〕1号第三项)",
    "en": "extend the start date (at most one year) 延长动工开发期限; change the use or planning conditions 调整土地用途、规划条件; "
          "temporary use arranged by the government 临时使用; buy-back by agreement 协议有偿收回; land swap 置换土地; "
          "transfer or joint development 转让、合作开发 (Order 53 Art. 12; 自然资规〔2018〕1号 item 3)",
}

RULES = {
    "zh": {
        "not_idle": "未动工,距约定动工日期 {agreed} 未满 {fy} 年(至 {d1} 满):尚不属于闲置土地(53号令第二条)",
        "started_on_time": "{start} 动工,早于约定动工日期 {agreed} 起满 {fy} 年之日 {d1}:不属于闲置土地(53号令第二条)",
        "halted_above": ";{halt} 起中止开发建设,但开发面积占 {dev:.0%}、投资占 {inv:.0%},未低于三分之一或 25%,不属第二条第二款的闲置土地",
        "not_started": "超过约定动工日期 {agreed} 满 {n} 年未动工(满 {fy} 年之日 {d1}),属闲置土地(53号令第二条第一款)",
        "halted": "{start} 动工,开发面积占 {dev:.0%}、投资占 {inv:.0%}(不足三分之一或不足 25%),{halt} 起中止开发建设满 {n} 年"
                  "(满 {fy} 年之日 {d1}),属闲置土地(53号令第二条第二款)",
        "late": "{start} 才动工,此前已满 {n} 年未动工(满 {fy} 年之日 {d1}),闲置期间属闲置土地(53号令第二条第一款),动工不免除已发生的闲置",
        "fee": ":按出让(划拨)价款 {price:g} 万元的 {rate:.0%} 征缴土地闲置费 {fee:,.2f} 万元(53号令第十四条第(一)项)",
        "reclaim_later": ";至 {d2} 仍闲置的,经有批准权的人民政府批准可以无偿收回(第十四条第(二)项),征费与收回是两项决定",
        "reclaim_now": ";自 {d2} 满 {ry} 年,可以提请无偿收回国有建设用地使用权,须报经有批准权的人民政府批准"
                       "(第十四条第(二)项;城市房地产管理法第二十六条);收回是另一项决定,不免除已到期的闲置费",
        "late_reclaim": ";其间已于 {d2} 满 {ry} 年,可提请无偿收回,但已动工建设的土地不再按闲置土地收回,请核查当时为何未处置",
        "government": "因政府原因({kind})闲置满 {n} 年({article}):不征闲置费、不无偿收回,按第十二条协商处置,可选方式如下",
        "government_any": "因政府或政府有关部门原因(或不可抗力)闲置满 {n} 年(53号令第八条):不征闲置费、不无偿收回"
                          "(第十四条只适用于其他原因;自然资规〔2018〕1号第三项),按下列方式之一处置",
        "taken_back": "已于 {taken} 收回国有建设用地使用权,收回时闲置满 {n} 年(满 {ry} 年之日 {d2};53号令第十四条第(二)项);"
                      "收回的土地自次年起计入本县可用存量",
        "after": ";{start} 动工晚于评估日 {A},按评估日认定",
    },
    "en": {
        "not_idle": "not started, but less than {fy} full year(s) past the agreed start {agreed} ({fy}-year mark {d1}): "
                    "not idle land yet (Order 53 Art. 2)",
        "started_on_time": "started {start}, before {fy} full year(s) past the agreed start {agreed} ({fy}-year mark {d1}): "
                           "not idle land (Order 53 Art. 2)",
        "halted_above": "; halted since {halt}, but {dev:.0%} of the area developed and {inv:.0%} invested, not below one third "
                        "or 25%: not idle land under Art. 2 ¶2",
        "not_started": "not started {n} full year(s) after the agreed start {agreed} ({fy}-year mark {d1}): idle land "
                       "(Order 53 Art. 2 ¶1)",
        "halted": "started {start} with {dev:.0%} of the area developed and {inv:.0%} invested (under one third or under 25%), "
                  "halted since {halt} for {n} full year(s) ({fy}-year mark {d1}): idle land (Order 53 Art. 2 ¶2)",
        "late": "started only on {start}, after {n} full year(s) not started ({fy}-year mark {d1}): idle land for that period "
                "(Order 53 Art. 2 ¶1); a later start does not undo the idling",
        "fee": ": idle-land fee {rate:.0%} of the grant or allocation price {price:g} 万元 = {fee:,.2f} 万元 (Order 53 Art. 14(1))",
        "reclaim_later": "; if still idle on {d2}, it may be taken back without compensation with the approval of the government "
                         "that approved the land (Art. 14(2)): the fee and taking back are two decisions",
        "reclaim_now": "; from {d2} ({ry} full years) taking it back without compensation may be proposed, with the approval of "
                       "the government that approved the land (Art. 14(2); Urban Real Estate Law Art. 26); taking back is a "
                       "separate decision and does not cancel the fee already due",
        "late_reclaim": "; it had passed the {ry}-year mark {d2}, when taking it back could have been proposed, but land under "
                        "construction is no longer taken back as idle land: check why it was not disposed of then",
        "government": "idle {n} full year(s) through a government cause ({kind}; {article}): no fee and no taking back; "
                      "disposed of by agreement under Art. 12, by one of these options",
        "government_any": "idle {n} full year(s) through government action (or force majeure) (Order 53 Art. 8): no fee and no "
                          "taking back (Art. 14 applies to other causes only; 自然资规〔2018〕1号 item 3); dispose of it by one of the alternatives",
        "taken_back": "taken back on {taken}, after {n} full year(s) idle ({ry}-year mark {d2}; Order 53 Art. 14(2)); land taken "
                      "back is usable stock of its county from the next year",
        "after": "; it started on {start}, after the assessment date {A}, so it is classified as at the assessment date",
    },
}

ARTICLES = {
    "zh": {"art2": "53号令第二条", "art2_1": "53号令第二条第一款", "art2_2": "53号令第二条第二款", "art14_1": "第十四条第(一)项",
           "art14_2": "第十四条第(二)项;城市房地产管理法第二十六条", "art8": "53号令第八条", "art12": "第十二条", "sep": ";"},
    "en": {"art2": "Order 53 Art. 2", "art2_1": "Order 53 Art. 2 ¶1", "art2_2": "Order 53 Art. 2 ¶2", "art14_1": "Art. 14(1)",
           "art14_2": "Art. 14(2); Urban Real Estate Law Art. 26", "art8": "Order 53 Art. 8", "art12": "Art. 12", "sep": "; "},
}


def article_text(a: dict, lang: str) -> str:
    """The articles behind a parcel's figures: what makes it idle, the fee, taking back, or the government cause."""
    T = ARTICLES[lang]
    cls = a["classification"]
    if cls in ("not_idle", "started_on_time") or not a["kind"]:
        return T["art2"] + (T["sep"] + T["art14_2"] if cls == "taken_back" else "")
    if cls == "government":
        kind = a["cause_kind"]
        first = CAUSE_KINDS[kind][1 if lang == "zh" else 2] if kind else T["art8"]
        return first + T["sep"] + T["art12"]
    parts = [T["art2_2" if a["kind"] == "halted" else "art2_1"], T["art14_1"]]
    if cls in ("reclaim", "taken_back"):
        parts.append(T["art14_2"])
    return T["sep"].join(parts)


def rule_text(a: dict, facts: dict, lang: str) -> str:
    """The ``rule`` sentence of one parcel: the facts that decide it and the article of each consequence."""
    T = RULES[lang]
    cls, kind = a["classification"], a["kind"]
    if cls in ("not_idle", "started_on_time"):
        text = T[cls].format(**facts)
        if facts["halt"] is not None and facts["dev"] is not None and facts["inv"] is not None:
            text += T["halted_above"].format(**facts)
    elif cls == "government":
        if a["cause_kind"]:
            name = CAUSE_KINDS[a["cause_kind"]][0] if lang == "zh" else a["cause_kind"].replace("_", " ")
            text = T["government"].format(kind=name, article=CAUSE_KINDS[a["cause_kind"]][1 if lang == "zh" else 2], **facts)
        else:
            text = T["government_any"].format(**facts)
    elif cls == "taken_back":
        text = T["taken_back"].format(**facts) + (T["fee"].format(**facts) if a["fee"] else "")
    else:
        late = kind == "not_started" and a["started"]
        text = T["halted" if kind == "halted" else "late" if late else "not_started"].format(**facts) + T["fee"].format(**facts)
        if late:
            text += T["late_reclaim"].format(**facts) if facts["n"] >= facts["ry"] else ""
        else:
            text += T["reclaim_now" if cls == "reclaim" else "reclaim_later"].format(**facts)
    if facts["start"] is not None and facts["start"] > facts["A"]:
        text += T["after"].format(**facts)
    return text
