"""Invented names for synthetic scenarios: county names of two or three syllables with 县/市/区 and their pinyin
ids (``draw_names``), and project names made of the county, a zone and a kind of project (``draw_project_names``).
The tables are data; every name is drawn from the seeded generator of ``quota.commands.generate_data``.
"""
from __future__ import annotations

import numpy as np

FIRST_CHARS = ("平安正元新永长清高临石金玉青白龙凤云松宝丰兴德昌宁广建怀灵深武文东西南北"
               "大太泰嘉庆福祥和仁信靖宣晋汉秦隆承遵宽成恒鹿栾藁赞辛赵")
FIRST_PINYIN = ("ping an zheng yuan xin yong chang qing gao lin shi jin yu qing bai long feng yun song bao "
                "feng xing de chang ning guang jian huai ling shen wu wen dong xi nan bei da tai tai jia qing "
                "fu xiang he ren xin jing xuan jin han qin long cheng zun kuan cheng heng lu luan gao zan xin zhao").split()
SECOND_CHARS = "山阳城河江泉水乐安宁丰州平和兴华德康泰源原川溪湖津峰岭台桥林泽定远化寿阜邑田庄集口关峪陵谷坪沟营堡店镇港浦塘滨湾"
SECOND_PINYIN = ("shan yang cheng he jiang quan shui le an ning feng zhou ping he xing hua de kang tai yuan yuan "
                 "chuan xi hu jin feng ling tai qiao lin ze ding yuan hua shou fu yi tian zhuang ji kou guan yu ling "
                 "gu ping gou ying bao dian zhen gang pu tang bin wan").split()
SUFFIXES, SUFFIX_SHARES = ("县", "市", "区"), (0.7, 0.15, 0.15)

ZONES = ("经开区", "高新区", "工业园区", "产业新城", "循环经济园区")
NAMES = {
    "industry": ("新能源装备", "生物医药", "电子信息", "新材料", "智能制造", "汽车零部件", "食品加工", "纺织服装",
                 "精细化工", "装备制造", "光伏组件", "锂电池材料", "医疗器械", "绿色建材", "高端铸造"),
    "infrastructure": ("城区环路改建工程", "污水处理厂提标扩建工程", "220千伏变电站工程", "集中供热管网工程",
                       "城乡供水一体化工程", "天然气门站及管网工程", "七通一平基础设施工程", "垃圾转运站及配套工程"),
    "livelihood": ("县医院新院区工程", "第二中学新建工程", "公办幼儿园新建工程", "残疾人康复中心", "养老服务中心",
                   "妇幼保健院迁建工程", "全民健身中心"),
    "commerce": ("商贸物流园", "特色商业街区", "农产品批发市场升级项目", "电商产业园", "汽车商贸城"),
    "tourism": ("文旅小镇", "景区游客服务中心", "研学实践基地", "非遗文化园", "康养旅游度假区"),
    "housing": ("保障性租赁住房项目", "棚户区改造安置房项目", "人才公寓项目"),
    "other": ("农业科技示范园", "殡仪馆迁建项目", "消防救援站", "应急物资储备库"),
}
INDUSTRY_KINDS = ("产业园", "项目", "产业化基地", "扩建项目", "生产基地")


def draw_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """``n`` unique county names (two or three syllables + 县/市/区) and ASCII pinyin ids."""
    first = list(zip(FIRST_CHARS, FIRST_PINYIN))
    second = list(zip(SECOND_CHARS, SECOND_PINYIN))
    pairs = [(a + b, pa + pb) for a, pa in first for b, pb in second if a != b]
    pool = [pairs[i] for i in rng.permutation(len(pairs))]
    if n > len(pool):  # beyond a few thousand counties: three syllables
        triples = [(a + b + c, pa + pb + pc) for a, pa in first for b, pb in first for c, pc in second
                   if a != b and b != c]
        pool += [triples[i] for i in rng.permutation(len(triples))]
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} counties can be named; {n} were asked for.")
    suffix = rng.choice(len(SUFFIXES), size=n, p=SUFFIX_SHARES)
    names, ids, seen = [], [], {}
    for (han, pinyin), k in zip(pool[:n], suffix):
        names.append(han + SUFFIXES[k])
        seen[pinyin] = seen.get(pinyin, 0) + 1
        ids.append(pinyin if seen[pinyin] == 1 else f"{pinyin}{seen[pinyin]}")
    return names, ids


def draw_project_names(rng: np.random.Generator, county_names: np.ndarray, categories: list[str]) -> list[str]:
    """A name per project: its county's name without 县/市/区, then a zone and a kind (industry) or a facility."""
    n = len(categories)
    zone, word, kind = rng.integers(0, 1 << 30, size=(3, n))
    out = []
    for c, category, z, w, d in zip(county_names, categories, zone, word, kind):
        place = c[:-1] if len(c) > 2 else c
        words = NAMES[category]
        if category == "industry":
            out.append(f"{place}{ZONES[z % len(ZONES)]}{words[w % len(words)]}{INDUSTRY_KINDS[d % len(INDUSTRY_KINDS)]}")
        else:
            out.append(f"{place}{words[w % len(words)]}")
    return out
