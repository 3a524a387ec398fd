"""``--help`` of ``quota generate`` (the key scheme is in ``quota.commands.bilingual``)."""
from __future__ import annotations

HELP_GENERATE: dict[str, dict[str, str]] = {
    "help.generate": {
        "zh": "写出任意规模、贴近实际的合成情景(示意合成数据),用于测试和基准测试。\n\n\b\n示例:\n"
              "  quota generate --out scenarios/synthetic-city\n"
              "  quota generate --out big --counties 170 --projects 20000 --years 5 --phased 0.1 --seed 7\n"
              "  quota validate big && quota run big --gap 0.001\n"
              "  quota generate --out city-hebei --rules hebei-2024\n"
              "  quota generate --out city-maps --spatial",
        "en": "Write a realistic synthetic scenario of any size (示意合成数据), for tests and benchmarks.\n\n\b\nExamples:\n"
              "  quota generate --out scenarios/synthetic-city\n"
              "  quota generate --out big --counties 170 --projects 20000 --years 5 --phased 0.1 --seed 7\n"
              "  quota validate big && quota run big --gap 0.001\n"
              "  quota generate --out city-hebei --rules hebei-2024\n"
              "  quota generate --out city-maps --spatial"},
    "help.generate.out": {"zh": "要写出的情景文件夹(已存在时须加 --force)。",
                          "en": "Scenario folder to write (must not exist unless --force)."},
    "help.generate.counties": {"zh": "县(市、区)的个数。", "en": "Number of counties."},
    "help.generate.projects": {"zh": "候选项目的个数。", "en": "Number of candidate projects."},
    "help.generate.years": {"zh": "连续的年数。", "en": "Number of consecutive years."},
    "help.generate.first_year": {"zh": "第一年。", "en": "The first year."},
    "help.generate.phased": {"zh": "分 2—4 期建设的项目比例(其中一些另有备选方案 B)。",
                             "en": "Share of projects built in 2-4 phases (some with an alternative plan B)."},
    "help.generate.urgent": {"zh": "急需开工的项目比例(可以使用预支指标)。",
                             "en": "Share of urgent projects (may draw advance quota)."},
    "help.generate.key": {"zh": "重点项目比例:市级、省级、国家级大约各占 60/28/12。",
                          "en": "Share of key projects: city, provincial, national in about 60/28/12."},
    "help.generate.not_ready": {"zh": "前期工作未就绪(被排除)的项目比例。",
                                "en": "Share of projects that are not ready (excluded)."},
    "help.generate.stock_ok": {"zh": "可以使用县级存量的项目比例。", "en": "Share of projects that may use county stock."},
    "help.generate.dependencies": {"zh": "须以本县一个较早项目为前提的项目比例。",
                                   "en": "Share of projects that require an earlier project of their county."},
    "help.generate.locks": {"zh": "锁定的项目比例:一半锁定不批,一半锁定必批(只在有效且可行时)。0:不锁定。",
                            "en": "Share of projects locked: half out, half in (only where valid and feasible). 0: none."},
    "help.generate.restricted": {"zh": "限批县的比例:一半因处置缓慢,一半因超计划用地。",
                                 "en": "Share of counties under 限批: half for slow disposal, half for over-plan use."},
    "help.generate.tasks_met": {"zh": "其余各县中两项处置任务都完成的比例。",
                                "en": "Share of the other counties that met both disposal tasks."},
    "help.generate.cap_share": {"zh": "有县级额度基数 cap_base 的县的比例。", "en": "Share of counties with a cap_base."},
    "help.generate.stock_range": {"zh": "各县批而未供存量(公顷),在 MIN 与 MAX 之间按对数均匀分布。",
                                  "en": "County 批而未供 stock in ha, log-uniform between MIN and MAX."},
    "help.generate.idle_ratio": {"zh": "闲置存量占批而未供存量的比例。", "en": "Idle stock as a share of 批而未供."},
    "help.generate.parcels_per_county": {
        "zh": "每个列出闲置地块的县的地块数,合计等于该县的 idle_stock。0:不写闲置地块表。",
        "en": "Idle parcels per listing county, adding up to its idle_stock. 0: no idle_parcels table."},
    "help.generate.parcel_share": {"zh": "列出闲置地块的县的比例。", "en": "Share of counties that list their idle parcels."},
    "help.generate.demand_ratio": {"zh": "已就绪、占用计划指标的用地需求与市级指标总和之比(1.6—2:指标紧张)。",
                                   "en": "Ready in-budget demand over the sum of the city quota (1.6-2: scarce)."},
    "help.generate.lang": {"zh": "情景的语言:县名、项目名和说明用中文还是英文。",
                           "en": "Language of the scenario: its county and project names and its texts."},
    "help.generate.rules": {
        "zh": "在 scenario.yaml 中指定这个规则集(rules: NAME),并写出它需要的数据:每个县的 cap_base、disposal.csv、"
              "history.csv、previous_quota、脱贫县、单独选址项目、省级预留指标(按规则集的要求)。默认:不指定,即第一版合同的规则。",
        "en": "Name this rule set in scenario.yaml (rules: NAME) and write the data it needs: cap_base for every county, "
              "disposal.csv, history.csv, previous_quota, poverty counties, stand-alone-site projects, a provincial "
              "reserve (as the set asks). Default: none, the first contract."},
    "help.generate.spatial": {
        "zh": "另外写出合成的空间数据(正方形县界、控制线、项目选址和闲置地块,以 GeoJSON 存于 spatial/)和 spatial: 一节;"
              "每项空间检查都有一些选址不符合(见 docs/spatial.md)。",
        "en": "Also write synthetic geometry (county squares, control lines, project sites and idle parcels as GeoJSON "
              "in spatial/) and a spatial: block; some sites break each check (docs/spatial.md)."},
    "help.generate.seed": {"zh": "随机种子:同一个种子生成同样的文件。", "en": "The same seed gives the same files."},
    "help.generate.force": {"zh": "新的情景完整写好后,替换已有的文件夹(只替换由 quota generate 写出的文件夹)。",
                            "en": "Replace an existing folder (only one quota generate wrote), once the new one is complete."},
}
