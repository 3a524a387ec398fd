"""The remaining lines a person reads: ``quota generate``'s last line (in the generated scenario's language) and the
warning that no CJK font was found (quota.report.fonts, in the language of the charts that wanted one).
"""
from __future__ import annotations

OTHER: dict[str, dict[str, str]] = {
    "generate.written": {"zh": "已写入:    {path} — {counties} 个县,{projects} 个项目,{first}—{last} 年{rules}(合成数据)",
                         "en": "written:   {path} — {counties} counties, {projects} projects, years {first}–{last}{rules} (synthetic data)"},
    "generate.rules": {"zh": ",规则集 {rules}", "en": ", rules {rules}"},
    "fonts.no_cjk": {"zh": "本机没有中文字体,图表改用编号和英文标注。安装一种即可画出中文:Debian/Ubuntu 运行 "
                           "`apt-get install fonts-noto-cjk`,Fedora 运行 `dnf install google-noto-sans-cjk-fonts`;"
                           "macOS 与 Windows 已自带 PingFang / 微软雅黑。",
                     "en": "no CJK font found, so charts use English labels. Install one to draw Chinese: "
                           "Debian/Ubuntu `apt-get install fonts-noto-cjk`, Fedora `dnf install google-noto-sans-cjk-fonts`, "
                           "macOS and Windows have PingFang / Microsoft YaHei already."},
}
