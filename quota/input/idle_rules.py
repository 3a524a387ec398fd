"""The law behind the idle-land check, as data: causes, thresholds, articles and disposal options (闲置土地).

Sources: 《闲置土地处置办法》(国土资源部令第53号, 2012: "Order 53"), 《城市房地产管理法》 Art. 26 (the law above it).
``quota.input.idle`` (what the rules require of each parcel) and ``quota.input.idle_findings`` (where the bureau's
record differs) cite these; the report labels them. The audit (``quota.check.audit_idle``) keeps its own copy of the
numbers and codes, so that a change here shows as a discrepancy, not as a silent agreement.

- ``CAUSE_KINDS``: the government causes of Order 53 Art. 8 (items 1-6 and ¶2, force majeure) and the law's
  "preparatory work required before building" (城市房地产管理法 Art. 26), each with its Chinese name (accepted as an
  alias in ``cause_kind``) and the article it comes from.
- ``OPTIONS``: the disposal options of Order 53 Art. 12 open to each cause. Exchange (置换, Art. 12(5)) is open to a
  planning change only, as the article says; which of the others suit a cause is this project's reading (the
  option that removes the cause), written out so that an auditor can disagree with it.
- ``DEVELOPED_BELOW``, ``INVESTED_BELOW``: the Art. 2 ¶2 thresholds (one third of the area, 25% of the investment).
- ``FEE_RATE_CAP``: 20% of the grant or allocation price (Order 53 Art. 14(1); the law: "20% or less").
- ``EXTENSION_YEARS``: an extension (Art. 12(1)) or a deadline to build (限期开发, local rules) of at most one year.
"""
from __future__ import annotations

DEVELOPED_BELOW = 1.0 / 3.0  # Art. 2 ¶2: developed area under one third of the area to be developed ...
INVESTED_BELOW = 0.25  # ... or investment under 25% of the total, and halted a full year
FEE_RATE_CAP = 0.20  # Art. 14(1); 城市房地产管理法 Art. 26: 相当于出让金百分之二十以下
EXTENSION_YEARS = 1  # Art. 12(1): 延长动工开发期限最长不得超过一年; 限期开发 (local rules): the same

# code → (Chinese name, article zh, article en)
CAUSE_KINDS: dict[str, tuple[str, str, str]] = {
    "not_delivered": ("未按约定交付土地", "53号令第八条第一款第(一)项", "Order 53 Art. 8(1)"),
    "planning_change": ("规划依法修改", "53号令第八条第一款第(二)项", "Order 53 Art. 8(2)"),
    "policy_change": ("国家政策调整", "53号令第八条第一款第(三)项", "Order 53 Art. 8(3)"),
    "petition": ("群众信访", "53号令第八条第一款第(四)项", "Order 53 Art. 8(4)"),
    "military_heritage": ("军事管制、文物保护", "53号令第八条第一款第(五)项", "Order 53 Art. 8(5)"),
    "other_government": ("政府其他行为", "53号令第八条第一款第(六)项", "Order 53 Art. 8(6)"),
    "force_majeure": ("不可抗力", "53号令第八条第二款", "Order 53 Art. 8 ¶2"),
    "preparatory_work": ("动工开发必需的前期工作", "城市房地产管理法第二十六条", "Urban Real Estate Law Art. 26"),
}
CAUSE_ALIASES = {zh: code for code, (zh, _, _) in CAUSE_KINDS.items()}

# Order 53 Art. 12 options: code → (zh, en)
OPTION_TEXT = {
    "extend": ("延长动工开发期限(不超过一年,第十二条第(一)项)", "extend the start date, at most one year (Art. 12(1))"),
    "change_use": ("调整土地用途、规划条件(第十二条第(二)项)", "change the use or planning conditions (Art. 12(2))"),
    "temporary_use": ("由政府安排临时使用(不超过两年,第十二条第(三)项)", "temporary use arranged by the government, at most two years (Art. 12(3))"),
    "buy_back": ("协议有偿收回(第十二条第(四)项)", "buy back by agreement, with compensation (Art. 12(4))"),
    "exchange": ("置换土地(已缴清价款、落实资金的,第十二条第(五)项)", "exchange for other land, price paid and funds in place (Art. 12(5))"),
}
OPTIONS: dict[str, tuple[str, ...]] = {
    "planning_change": ("change_use", "exchange", "buy_back", "extend"),
    "policy_change": ("change_use", "extend", "buy_back"),
    "not_delivered": ("extend", "temporary_use", "buy_back"),
    "petition": ("extend", "temporary_use", "buy_back"),
    "military_heritage": ("change_use", "buy_back"),
    "other_government": ("extend", "change_use", "temporary_use", "buy_back"),
    "force_majeure": ("extend", "buy_back"),
    "preparatory_work": ("extend", "temporary_use"),
}
ANY_CAUSE = ("extend", "change_use", "temporary_use", "buy_back", "exchange")  # the kind not recorded: every option

SEVERITIES = ("high", "medium")
# finding → (severity, article zh, article en); the order is the findings table's
FINDINGS: dict[str, tuple[str, str, str]] = {
    "fee_not_levied": ("high", "53号令第十四条第(一)项", "Order 53 Art. 14(1)"),
    "fee_below_due": ("medium", "53号令第十四条第(一)项", "Order 53 Art. 14(1)"),
    "fee_on_exempt": ("high", "53号令第八条、第十二条", "Order 53 Art. 8, 12"),
    "take_back_undecided": ("high", "53号令第十四条第(二)项;城市房地产管理法第二十六条",
                            "Order 53 Art. 14(2); Urban Real Estate Law Art. 26"),
    "taken_back_early": ("high", "53号令第十四条第(二)项;城市房地产管理法第二十六条",
                         "Order 53 Art. 14(2); Urban Real Estate Law Art. 26"),
    "no_evidence": ("medium", "53号令第八条", "Order 53 Art. 8"),
    "extension_too_long": ("medium", "53号令第十二条第(一)项", "Order 53 Art. 12(1)"),
    "below_threshold": ("high", "53号令第二条第二款", "Order 53 Art. 2 ¶2"),
}
DEADLINE_ARTICLE = ("限期开发(地方规定,如郑州:自处置方案批准之日起不超过一年)", "deadline to build 限期开发 (local rules, e.g. Zhengzhou: at most one year)")


def options_text(kind: str | None, lang: str) -> str:
    """The Art. 12 options open to a government cause of ``kind`` (every option when the kind is not recorded)."""
    i = 0 if lang == "zh" else 1
    codes = OPTIONS.get(kind or "", ANY_CAUSE)
    return (";" if lang == "zh" else "; ").join(OPTION_TEXT[c][i] for c in codes)
