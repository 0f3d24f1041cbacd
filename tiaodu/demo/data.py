"""The demo district, distilled from the source speech (../shared/seed/speech.txt) as plain data.

Everything here is plain lists of dicts so that later demo parts (weekly reports, schedules,
problems, supervision items) can be added next to it. `loader.load_demo` writes it.

Dates are relative to the day of loading:
- project "start" / "finish": days from today (negative = in the past);
- project "deadline": months from today, rounded to that month's end (default COMMON_DEADLINE_MONTHS);
  "finish" defaults to the deadline minus "margin" days, else minus a margin taken in turn from
  FINISH_BEFORE_DEADLINE_DAYS (the schedule finishes on the planned finish: the margin is its float).
Indicator "done" is the cumulative quantity reached according to the speech, kept for reference: the
weekly figures the demo writes follow each project's schedule and story (tiaodu.demo.progress), so
that its lag, its S-curve and its 倒排工期 page agree.
"""

PASSWORD = "Tiaodu@2026"
SOURCE = "demo"

GOVERNMENT = "区委区政府"
OFFICE = "区重点工程重点项目建设领导小组办公室"
SUPERVISION = "区委督查室"

SECRETARY = "张书记"
MAYOR = "王区长"

COMMON_DEADLINE_MONTHS = 9
FINISH_BEFORE_DEADLINE_DAYS = (31, 61, 45, 92, 20, 76)
CAMPAIGN_START_DAYS = -365

# Units in display order; the parent of every unit except the first is GOVERNMENT.
# The first person of a unit is its head: signs its responsibility letter and is the responsible
# person (责任人) of the projects the unit leads.
UNITS = [
    {
        "name": GOVERNMENT,
        "type": "government",
        "people": [
            {"name": SECRETARY, "post": "区委书记", "phone": "0531-85950001"},
            {"name": MAYOR, "post": "区委副书记、区长", "phone": "0531-85950002"},
            {"name": "李副区长", "post": "常务副区长（分管城市建设）", "phone": "0531-85950006"},
            {"name": "陈副区长", "post": "副区长（分管城市管理）", "phone": "0531-85950008"},
            {"name": "刘副区长", "post": "副区长（分管国土规划、水务）", "phone": "0531-85950011"},
            {"name": "赵副区长", "post": "副区长（分管棚户区改造、房产）", "phone": "0531-85950013"},
        ],
    },
    {
        "name": OFFICE,
        "type": "office",
        "people": [
            {"name": "刘志强", "post": "办公室主任", "phone": "0531-85951101"},
            {"name": "周敏", "post": "办公室副主任", "phone": "0531-85951102"},
            {"name": "马骏", "post": "信息管理员", "phone": "0531-85951105"},
            {"name": "孙晓燕", "post": "综合科科员", "phone": "0531-85951106"},
        ],
    },
    # 18 专项工程指挥部
    {
        "name": "北园大街改造指挥部",
        "type": "hq",
        "people": [
            {"name": "高建军", "post": "指挥长", "phone": "0531-85963201"},
            {"name": "李海鹏", "post": "联络员", "phone": "0531-85963206"},
        ],
    },
    {
        "name": "小清河综合治理指挥部",
        "type": "hq",
        "people": [
            {"name": "徐海涛", "post": "指挥长", "phone": "0531-85967310"},
            {"name": "王雪", "post": "联络员", "phone": "0531-85967315"},
        ],
    },
    {
        "name": "小清河沿线片区开发指挥部",
        "type": "hq",
        "people": [
            {"name": "宋立群", "post": "指挥长", "phone": "0531-85967420"},
        ],
    },
    {
        "name": "棚户区改造指挥部",
        "type": "hq",
        "people": [
            {"name": "谢文斌", "post": "指挥长", "phone": "0531-85972130"},
            {"name": "张丽", "post": "联络员", "phone": "0531-85972136"},
        ],
    },
    {
        "name": "河道综合整治指挥部",
        "type": "hq",
        "people": [
            {"name": "于洪波", "post": "指挥长", "phone": "0531-85968540"},
        ],
    },
    {
        "name": "堤口路改造指挥部",
        "type": "hq",
        "people": [
            {"name": "冯志刚", "post": "指挥长", "phone": "0531-85963650"},
        ],
    },
    {
        "name": "少年路整治指挥部",
        "type": "hq",
        "people": [
            {"name": "曹俊峰", "post": "指挥长", "phone": "0531-85963760"},
        ],
    },
    {
        "name": "道路整治指挥部",
        "type": "hq",
        "people": [
            {"name": "彭国庆", "post": "指挥长", "phone": "0531-85963870"},
        ],
    },
    {
        "name": "水屯社区综合整治指挥部",
        "type": "hq",
        "people": [
            {"name": "吕德胜", "post": "指挥长", "phone": "0531-85974180"},
        ],
    },
    {
        "name": "拆违治违指挥部",
        "type": "hq",
        "people": [
            {"name": "田卫东", "post": "指挥长", "phone": "0531-85974290"},
        ],
    },
    {
        "name": "平改坡工程指挥部",
        "type": "hq",
        "people": [
            {"name": "袁振华", "post": "指挥长", "phone": "0531-85975302"},
        ],
    },
    {
        "name": "居民小区整治指挥部",
        "type": "hq",
        "people": [
            {"name": "邓丽萍", "post": "指挥长", "phone": "0531-85975413"},
        ],
    },
    {
        "name": "城市亮化指挥部",
        "type": "hq",
        "people": [
            {"name": "许光明", "post": "指挥长", "phone": "0531-85976524"},
        ],
    },
    {
        "name": "铁路沿线整治指挥部",
        "type": "hq",
        "people": [
            {"name": "傅长林", "post": "指挥长", "phone": "0531-85976635"},
        ],
    },
    {
        "name": "城市出入口整治指挥部",
        "type": "hq",
        "people": [
            {"name": "沈建平", "post": "指挥长", "phone": "0531-85976746"},
        ],
    },
    {
        "name": "顺河高架沿线整治指挥部",
        "type": "hq",
        "people": [
            {"name": "曾庆祥", "post": "指挥长", "phone": "0531-85976857"},
        ],
    },
    {
        "name": "园林绿化指挥部",
        "type": "hq",
        "people": [
            {"name": "程秀兰", "post": "指挥长", "phone": "0531-85977968"},
        ],
    },
    {
        "name": "市容环境整治指挥部",
        "type": "hq",
        "people": [
            {"name": "蔡永强", "post": "指挥长", "phone": "0531-85977079"},
        ],
    },
    # 街道办事处
    {
        "name": "制锦市街道",
        "type": "street",
        "people": [
            {"name": "魏红梅", "post": "街道办事处主任", "phone": "0531-86051201"},
        ],
    },
    {
        "name": "北园街道",
        "type": "street",
        "people": [
            {"name": "钱立伟", "post": "街道办事处主任", "phone": "0531-85921302"},
            {"name": "韦晓光", "post": "城建科科长", "phone": "0531-85921318"},
        ],
    },
    {
        "name": "泺口街道",
        "type": "street",
        "people": [
            {"name": "潘海燕", "post": "街道办事处主任", "phone": "0531-85932403"},
            {"name": "孔令军", "post": "城建科科长", "phone": "0531-85932417"},
        ],
    },
    {
        "name": "堤口路街道",
        "type": "street",
        "people": [
            {"name": "杜建华", "post": "街道办事处主任", "phone": "0531-85943504"},
        ],
    },
    {
        "name": "北坦街道",
        "type": "street",
        "people": [
            {"name": "戴文杰", "post": "街道办事处主任", "phone": "0531-86054605"},
        ],
    },
    {
        "name": "宝华街街道",
        "type": "street",
        "people": [
            {"name": "夏志明", "post": "街道办事处主任", "phone": "0531-86055706"},
        ],
    },
    {
        "name": "官扎营街道",
        "type": "street",
        "people": [
            {"name": "钟国栋", "post": "街道办事处主任", "phone": "0531-85936807"},
        ],
    },
    {
        "name": "纬北路街道",
        "type": "street",
        "people": [
            {"name": "汪晓东", "post": "街道办事处主任", "phone": "0531-86057908"},
        ],
    },
    {
        "name": "无影山街道",
        "type": "street",
        "people": [
            {"name": "任立强", "post": "街道办事处主任", "phone": "0531-85948019"},
        ],
    },
    {
        "name": "天桥东街街道",
        "type": "street",
        "people": [
            {"name": "姜春梅", "post": "街道办事处主任", "phone": "0531-86059120"},
        ],
    },
    {
        "name": "工人新村北村街道",
        "type": "street",
        "people": [
            {"name": "范永军", "post": "街道办事处主任", "phone": "0531-85949231"},
        ],
    },
    {
        "name": "工人新村南村街道",
        "type": "street",
        "people": [
            {"name": "方丽华", "post": "街道办事处主任", "phone": "0531-85949342"},
        ],
    },
    {
        "name": "药山街道",
        "type": "street",
        "people": [
            {"name": "石磊", "post": "街道办事处主任", "phone": "0531-85938453"},
        ],
    },
    {
        "name": "大桥街道",
        "type": "street",
        "people": [
            {"name": "廖成刚", "post": "街道办事处主任", "phone": "0531-88116564"},
        ],
    },
    {
        "name": "桑梓店街道",
        "type": "street",
        "people": [
            {"name": "邹建波", "post": "街道办事处主任", "phone": "0531-88127675"},
        ],
    },
    # 区直部门
    {
        "name": "区建设局",
        "type": "department",
        "people": [
            {"name": "孙国华", "post": "局长", "phone": "0531-85981101"},
            {"name": "吴涛", "post": "城建科科长", "phone": "0531-85981109"},
        ],
    },
    {
        "name": "区城管局",
        "type": "department",
        "people": [
            {"name": "黄振宇", "post": "局长", "phone": "0531-85982202"},
        ],
    },
    {
        "name": "区财政局",
        "type": "department",
        "people": [
            {"name": "林静", "post": "局长", "phone": "0531-85983303"},
        ],
    },
    {
        "name": "区规划分局",
        "type": "department",
        "people": [
            {"name": "周伟", "post": "分局局长", "phone": "0531-85984404"},
        ],
    },
    {
        "name": "国土分局",
        "type": "department",
        "people": [
            {"name": "吴德明", "post": "分局局长", "phone": "0531-85985505"},
        ],
    },
    {
        "name": "区水务局",
        "type": "department",
        "people": [
            {"name": "郭庆丰", "post": "局长", "phone": "0531-85986606"},
        ],
    },
    {
        "name": "区房管局",
        "type": "department",
        "people": [
            {"name": "何玉芬", "post": "局长", "phone": "0531-85987707"},
        ],
    },
    {
        "name": "区环保局",
        "type": "department",
        "people": [
            {"name": "罗志远", "post": "局长", "phone": "0531-85988808"},
        ],
    },
    {
        "name": "区发改局",
        "type": "department",
        "people": [
            {"name": "梁晓峰", "post": "局长", "phone": "0531-85989909"},
        ],
    },
    {
        "name": "区园林局",
        "type": "department",
        "people": [
            {"name": "宋佳", "post": "局长", "phone": "0531-85980010"},
        ],
    },
    {
        "name": SUPERVISION,
        "type": "supervision",
        "people": [
            {"name": "韩冰", "post": "督查室主任", "phone": "0531-85950301"},
            {"name": "郑岩", "post": "督查专员", "phone": "0531-85950305"},
        ],
    },
]


def _ind(name, unit, target, done=None):
    return {"name": name, "unit": unit, "target": target, "done": done}


# 14 重点建设项目 and 23 综合整治项目. "code" is formatted with the year of loading.
# "leader" is a person of GOVERNMENT (分管领导); the responsible person is the lead unit's head.
PROJECTS = [
    # --- 重点建设项目 -------------------------------------------------------------------------
    {
        "code": "ZD-{year}-01",
        "type": "key_construction",
        "category": "道路",
        "name": "北园大街道路拓宽及两侧整治",
        "lead": "北园大街改造指挥部",
        "territorial": ["北园街道", "无影山街道", "药山街道"],
        "supporting": ["区建设局", "区规划分局", "国土分局", "区财政局", "区城管局"],
        "leader": "李副区长",
        "status": "under_construction",
        "investment": 52000,
        "location": (117.0005, 36.6932),
        "line": [(116.9812, 36.6921), (116.9950, 36.6928), (117.0080, 36.6935), (117.0195, 36.6940)],
        "start": -350,
        "description": "北园大街（二环西路至历山路段）道路拓宽改造，道路红线由40米拓宽至60米，"
        "完成红线内拆迁；同步实施两侧绿化美化、环境整治和沿线连片开发。",
        "indicators": [
            _ind("红线内拆迁面积", "m²", 126000, 126000),
            _ind("道路拓宽改造长度", "m", 5200, 3100),
            _ind("两侧绿化面积", "m²", 48000, 21000),
        ],
    },
    {
        "code": "ZD-{year}-02",
        "type": "key_construction",
        "category": "河道",
        "name": "小清河综合治理（天桥段）",
        "lead": "小清河综合治理指挥部",
        "territorial": ["泺口街道", "药山街道", "大桥街道"],
        "supporting": ["区水务局", "区环保局", "国土分局", "区房管局"],
        "leader": "刘副区长",
        "status": "under_construction",
        "investment": 186000,
        "location": (117.0030, 36.7065),
        "line": [(116.9805, 36.7042), (116.9930, 36.7060), (117.0050, 36.7071), (117.0190, 36.7090)],
        "start": -340,
        "margin": 24,
        "description": "小清河天桥段河道清淤拓宽、截污治污、两岸拆迁和滨河景观带建设；"
        "沿线泺口、徐李、梁府等片区同步开发。",
        "indicators": [
            _ind("拆迁面积", "m²", 250000, 180000),
            _ind("河道治理长度", "m", 9800, 4200),
            _ind("完成投资", "万元", 186000, 98000),
        ],
    },
    {
        "code": "ZD-{year}-03",
        "type": "key_construction",
        "category": "其他",
        "name": "小清河沿线泺口、徐李、梁府片区开发",
        "lead": "小清河沿线片区开发指挥部",
        "territorial": ["泺口街道", "药山街道"],
        "supporting": ["区发改局", "国土分局", "区规划分局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 35000,
        "location": (117.0105, 36.7125),
        "start": -300,
        "description": "依托小清河综合治理，对泺口、徐李、梁府三个片区实施拆迁整理和连片开发，"
        "引进客商合作建设商住及商贸项目。",
        "indicators": [
            _ind("片区拆迁面积", "m²", 160000, 95000),
            _ind("签约合作项目", "个", 3, 3),
        ],
    },
    {
        "code": "ZD-{year}-04",
        "type": "key_construction",
        "category": "棚户区改造",
        "name": "馆驿街西片区棚户区改造",
        "lead": "棚户区改造指挥部",
        "territorial": ["制锦市街道"],
        "supporting": ["区房管局", "区建设局", "国土分局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 46000,
        "location": (116.9905, 36.6725),
        "start": -330,
        "deadline": 7,
        "description": "馆驿街以西片区棚户区拆迁改造，拆迁完毕后建设安置住房及幼儿园、社区用房等配套公建。",
        "indicators": [
            _ind("拆迁面积", "m²", 68000, 68000),
            _ind("安置房建设面积", "m²", 95000, 18000),
        ],
    },
    {
        "code": "ZD-{year}-05",
        "type": "key_construction",
        "category": "棚户区改造",
        "name": "茂新片区棚户区改造",
        "lead": "棚户区改造指挥部",
        "territorial": ["纬北路街道"],
        "supporting": ["区房管局", "区建设局", "国土分局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 38000,
        "location": (116.9936, 36.6821),
        "start": -320,
        "description": "茂新片区棚户区拆迁改造，建设安置住房及配套道路、管网。",
        "indicators": [
            _ind("拆迁面积", "m²", 52000, 52000),
            _ind("安置房建设面积", "m²", 76000, 12000),
        ],
    },
    {
        "code": "ZD-{year}-06",
        "type": "key_construction",
        "category": "棚户区改造",
        "name": "顺河街片区棚户区改造",
        "lead": "棚户区改造指挥部",
        "territorial": ["制锦市街道", "北坦街道"],
        "supporting": ["区房管局", "区建设局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 41000,
        "location": (116.9968, 36.6762),
        "start": -315,
        "description": "顺河街片区棚户区拆迁改造，建设安置住房，配套建设社区服务中心和公共停车场。",
        "indicators": [
            _ind("拆迁面积", "m²", 59000, 59000),
            _ind("安置房建设面积", "m²", 82000, 15000),
            _ind("拆迁安置户数", "户", 640, 640),
        ],
    },
    {
        "code": "ZD-{year}-07",
        "type": "key_construction",
        "category": "棚户区改造",
        "name": "聚贤片区棚户区改造",
        "lead": "棚户区改造指挥部",
        "territorial": ["宝华街街道"],
        "supporting": ["区房管局", "国土分局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 29000,
        "location": (117.0021, 36.6802),
        "start": -300,
        "description": "聚贤片区棚户区拆迁改造，建设安置住房及配套设施。",
        "indicators": [
            _ind("拆迁面积", "m²", 43000, 43000),
            _ind("安置房建设面积", "m²", 61000, 9000),
        ],
    },
    {
        "code": "ZD-{year}-08",
        "type": "key_construction",
        "category": "棚户区改造",
        "name": "北坦片区棚户区改造",
        "lead": "棚户区改造指挥部",
        "territorial": ["北坦街道"],
        "supporting": ["区房管局", "国土分局", "区财政局"],
        "leader": "赵副区长",
        "status": "suspended",
        "investment": 33000,
        "location": (116.9948, 36.6788),
        "start": -240,
        "margin": 24,
        "description": "北坦片区棚户区拆迁改造，建设安置住房及配套公建。",
        "indicators": [
            _ind("拆迁面积", "m²", 48000, 21000),
            _ind("拆迁安置户数", "户", 520, 230),
        ],
    },
    {
        "code": "ZD-{year}-09",
        "type": "key_construction",
        "category": "河道",
        "name": "工商河等河道综合整治",
        "lead": "河道综合整治指挥部",
        "territorial": ["官扎营街道", "堤口路街道", "宝华街街道", "北园街道"],
        "supporting": ["区水务局", "区环保局", "区城管局"],
        "leader": "刘副区长",
        "status": "under_construction",
        "investment": 24000,
        "location": (116.9885, 36.6880),
        "line": [(116.9842, 36.6752), (116.9861, 36.6830), (116.9889, 36.6905), (116.9921, 36.6990)],
        "start": -345,
        "description": "以工商河为重点，对工商河、西泺河、东泺河、柳行河等河道实施清淤、截污、护岸砌筑和两岸绿化，"
        "改善水质和沿岸环境。",
        "indicators": [
            _ind("清淤量", "m³", 150000, 111000),
            _ind("护岸砌筑长度", "m", 8600, 4100),
            _ind("完成投资", "万元", 24000, 13500),
        ],
    },
    {
        "code": "ZD-{year}-10",
        "type": "key_construction",
        "category": "道路",
        "name": "堤口路改造工程",
        "lead": "堤口路改造指挥部",
        "territorial": ["堤口路街道", "无影山街道"],
        "supporting": ["区建设局", "区规划分局", "区财政局"],
        "leader": "李副区长",
        "status": "under_construction",
        "investment": 15800,
        "location": (116.9832, 36.6831),
        "line": [(116.9810, 36.6829), (116.9900, 36.6832), (116.9975, 36.6836)],
        "start": -280,
        "description": "堤口路（无影山路至顺河高架段）道路拓宽改造，同步实施雨污水管网、路灯和两侧绿化；"
        "市委专项划拨补助资金1000万元。",
        "indicators": [
            _ind("道路改造长度", "m", 2800, 1200),
            _ind("拆迁面积", "m²", 21000, 17000),
            _ind("完成投资", "万元", 15800, 6200),
        ],
    },
    {
        "code": "ZD-{year}-11",
        "type": "key_construction",
        "category": "道路",
        "name": "少年路整治工程",
        "lead": "少年路整治指挥部",
        "territorial": ["北坦街道", "宝华街街道"],
        "supporting": ["区建设局", "区城管局"],
        "leader": "李副区长",
        "status": "accepted",
        "investment": 4200,
        "location": (116.9962, 36.6746),
        "start": -360,
        "finish": -150,
        "deadline": -4,
        "description": "少年路全线高标准整治：路面翻修、人行道铺装、沿街建筑立面整治、杆线入地和绿化补植。",
        "indicators": [
            _ind("道路整治长度", "m", 1650, 1650),
            _ind("沿街立面整治面积", "m²", 32000, 32000),
        ],
    },
    {
        "code": "ZD-{year}-12",
        "type": "key_construction",
        "category": "道路",
        "name": "北园大街两侧支路整治",
        "lead": "北园大街改造指挥部",
        "territorial": ["北园街道", "无影山街道"],
        "supporting": ["区建设局", "区财政局"],
        "leader": "李副区长",
        "status": "completed",
        "investment": 6800,
        "location": (117.0012, 36.6904),
        "start": -300,
        "finish": -40,
        "deadline": -1,
        "description": "北园大街两侧12条支路整治：路面改造、雨污分流、路灯和绿化，与北园大街主路同步通行。",
        "indicators": [
            _ind("整治支路", "条", 12, 12),
            _ind("支路改造长度", "m", 6400, 6400),
        ],
    },
    {
        "code": "ZD-{year}-13",
        "type": "key_construction",
        "category": "道路",
        "name": "标山路改造工程",
        "lead": "道路整治指挥部",
        "territorial": ["无影山街道", "工人新村北村街道"],
        "supporting": ["区建设局", "区规划分局"],
        "leader": "李副区长",
        "status": "not_started",
        "investment": 9600,
        "location": (116.9858, 36.6918),
        "start": 20,
        "description": "标山路道路拓宽改造，同步建设雨污水管网、路灯和两侧绿化带。",
        "indicators": [
            _ind("道路改造长度", "m", 2100),
            _ind("完成投资", "万元", 9600),
        ],
    },
    {
        "code": "ZD-{year}-14",
        "type": "key_construction",
        "category": "其他",
        "name": "泺口片区雨污分流管网改造",
        "lead": "区水务局",
        "territorial": ["泺口街道", "北园街道"],
        "supporting": ["区建设局", "区环保局"],
        "leader": "刘副区长",
        "status": "not_started",
        "investment": 7200,
        "location": (117.0078, 36.7082),
        "start": 45,
        "description": "泺口片区雨污合流管网改造为分流制，新建污水管网并接入小清河截污干管。",
        "indicators": [
            _ind("雨污管网铺设长度", "m", 15000),
            _ind("完成投资", "万元", 7200),
        ],
    },
    # --- 综合整治项目 -------------------------------------------------------------------------
    {
        "code": "ZZ-{year}-01",
        "type": "remediation",
        "category": "拆违",
        "name": "水屯社区综合整治",
        "lead": "水屯社区综合整治指挥部",
        "territorial": ["北园街道"],
        "supporting": ["区城管局", "国土分局", "区规划分局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 3600,
        "location": (116.9962, 36.6965),
        "start": -330,
        "deadline": 3,
        "description": "对顺河高架路北出入口水屯社区实施清理整治：拆除违法违章建筑，整修道路，补植绿化，规范沿街经营秩序。",
        "indicators": [
            _ind("拆除违建面积", "m²", 42000, 38000),
            _ind("道路整修面积", "m²", 18000, 9000),
        ],
    },
    {
        "code": "ZZ-{year}-02",
        "type": "remediation",
        "category": "拆违",
        "name": "违法违章建筑拆除",
        "lead": "拆违治违指挥部",
        "territorial": ["北园街道", "泺口街道", "药山街道", "大桥街道", "桑梓店街道", "无影山街道"],
        "supporting": ["区城管局", "国土分局", "区规划分局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 5000,
        "location": (116.9951, 36.7002),
        "start": -355,
        "description": "依法集中整治全区违法违章建筑，重点拆除主次干道两侧、河道沿岸、铁路沿线和城市出入口的违章建筑，"
        "建立控违拆违长效机制。",
        "indicators": [
            _ind("拆除违建面积", "m²", 400000, 305000),
        ],
    },
    {
        "code": "ZZ-{year}-03",
        "type": "remediation",
        "category": "平改坡",
        "name": "平改坡工程（一期）",
        "lead": "平改坡工程指挥部",
        "territorial": ["北坦街道", "宝华街街道", "官扎营街道"],
        "supporting": ["区建设局", "区房管局"],
        "leader": "陈副区长",
        "status": "completed",
        "investment": 2600,
        "location": (116.9921, 36.6801),
        "start": -340,
        "finish": -60,
        "deadline": -1,
        "description": "对主要道路两侧36座多层住宅楼实施“平改坡”改造，建筑面积1.7万平方米，同步粉刷外立面。",
        "indicators": [
            _ind("改造栋数", "栋", 36, 36),
            _ind("改造面积", "m²", 17000, 17000),
        ],
    },
    {
        "code": "ZZ-{year}-04",
        "type": "remediation",
        "category": "平改坡",
        "name": "平改坡工程（二期）",
        "lead": "平改坡工程指挥部",
        "territorial": ["天桥东街街道", "工人新村北村街道", "工人新村南村街道", "纬北路街道"],
        "supporting": ["区建设局", "区房管局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 4800,
        "location": (117.0042, 36.6782),
        "start": -120,
        "deadline": 6,
        "description": "对铁路沿线和次干道两侧68座多层住宅楼实施“平改坡”改造，同步整治楼顶违建和外立面。",
        "indicators": [
            _ind("改造栋数", "栋", 68, 15),
            _ind("改造面积", "m²", 34000, 7200),
        ],
    },
    {
        "code": "ZZ-{year}-05",
        "type": "remediation",
        "category": "小区整治",
        "name": "居民小区整治（制锦市、清河、金泉、毕家洼、水园、西苑）",
        "lead": "居民小区整治指挥部",
        "territorial": ["制锦市街道", "北坦街道", "堤口路街道", "纬北路街道"],
        "supporting": ["区房管局", "区建设局"],
        "leader": "赵副区长",
        "status": "completed",
        "investment": 3900,
        "location": (116.9902, 36.6772),
        "start": -330,
        "finish": -30,
        "deadline": 0,
        "description": "对制锦市、清河、金泉、毕家洼、水园、西苑6个老旧居民小区实施综合整治：道路硬化、雨污分流、"
        "绿化补植、楼体粉刷，增设停车位和安防设施。",
        "indicators": [
            _ind("整治小区", "个", 6, 6),
            _ind("整治建筑面积", "m²", 210000, 210000),
        ],
    },
    {
        "code": "ZZ-{year}-06",
        "type": "remediation",
        "category": "小区整治",
        "name": "居民小区整治（二批）",
        "lead": "居民小区整治指挥部",
        "territorial": ["工人新村北村街道", "工人新村南村街道", "天桥东街街道", "北园街道"],
        "supporting": ["区房管局", "区建设局"],
        "leader": "赵副区长",
        "status": "under_construction",
        "investment": 5200,
        "location": (117.0031, 36.6855),
        "start": -150,
        "deadline": 7,
        "description": "对工人新村北村、南村等9个老旧居民小区实施综合整治，改善人居环境。",
        "indicators": [
            _ind("整治小区", "个", 9, 2),
            _ind("整治建筑面积", "m²", 320000, 80000),
        ],
    },
    {
        "code": "ZZ-{year}-07",
        "type": "remediation",
        "category": "亮化",
        "name": "重点建筑亮化改造（一期）",
        "lead": "城市亮化指挥部",
        "territorial": ["北园街道", "制锦市街道", "天桥东街街道"],
        "supporting": ["区城管局"],
        "leader": "陈副区长",
        "status": "accepted",
        "investment": 1800,
        "location": (117.0003, 36.6851),
        "start": -330,
        "finish": -120,
        "deadline": -3,
        "description": "对城区主要街道两侧39栋建筑实施亮化改造，其中商务楼7栋、住宅楼32栋。",
        "indicators": [
            _ind("亮化改造栋数", "栋", 39, 39),
            _ind("商务楼亮化", "栋", 7, 7),
            _ind("住宅楼亮化", "栋", 32, 32),
        ],
    },
    {
        "code": "ZZ-{year}-08",
        "type": "remediation",
        "category": "亮化",
        "name": "主要街道及高架路两侧景观亮化",
        "lead": "城市亮化指挥部",
        "territorial": ["北园街道", "无影山街道", "泺口街道", "堤口路街道"],
        "supporting": ["区城管局", "区建设局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 3500,
        "location": (116.9978, 36.6918),
        "start": -200,
        "description": "北园高架、顺河高架两侧及北园大街、济泺路沿线建筑和绿地景观亮化。",
        "indicators": [
            _ind("亮化改造栋数", "栋", 85, 30),
            _ind("景观亮化长度", "m", 12000, 5000),
        ],
    },
    {
        "code": "ZZ-{year}-09",
        "type": "remediation",
        "category": "其他",
        "name": "铁路沿线环境整治",
        "lead": "铁路沿线整治指挥部",
        "territorial": ["天桥东街街道", "工人新村北村街道", "工人新村南村街道", "纬北路街道"],
        "supporting": ["区城管局", "国土分局", "区园林局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 2800,
        "location": (117.0052, 36.6758),
        "start": -260,
        "description": "对京沪、胶济铁路天桥段两侧实施拆违、清脏、绿化和围挡整治，消除脏乱差。",
        "indicators": [
            _ind("拆除违建面积", "m²", 26000, 8000),
            _ind("沿线绿化面积", "m²", 40000, 6000),
            _ind("整治长度", "m", 7400, 2100),
        ],
    },
    {
        "code": "ZZ-{year}-10",
        "type": "remediation",
        "category": "其他",
        "name": "济泺路城市出入口整治",
        "lead": "城市出入口整治指挥部",
        "territorial": ["泺口街道", "大桥街道"],
        "supporting": ["区城管局", "区园林局", "区建设局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 2200,
        "location": (117.0091, 36.7148),
        "start": -200,
        "description": "济泺路北出入口（黄河大桥至小清河段）实施拆违、立面整治、绿化和交通秩序整治，打造城市北大门窗口形象。",
        "indicators": [
            _ind("立面整治面积", "m²", 45000, 12000),
            _ind("拆除违建面积", "m²", 9000, 4000),
        ],
    },
    {
        "code": "ZZ-{year}-11",
        "type": "remediation",
        "category": "其他",
        "name": "顺河高架北出入口及窗口部位整治",
        "lead": "城市出入口整治指挥部",
        "territorial": ["北园街道", "无影山街道"],
        "supporting": ["区城管局", "区园林局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 1600,
        "location": (116.9958, 36.6958),
        "start": -180,
        "deadline": 5,
        "description": "顺河高架路北出入口及周边窗口部位立面整治、绿化补植和广告牌匾规范。",
        "indicators": [
            _ind("立面整治面积", "m²", 28000, 6000),
            _ind("绿化面积", "m²", 15000, 3000),
        ],
    },
    {
        "code": "ZZ-{year}-12",
        "type": "remediation",
        "category": "其他",
        "name": "顺河高架沿线环境整治",
        "lead": "顺河高架沿线整治指挥部",
        "territorial": ["制锦市街道", "北坦街道", "堤口路街道"],
        "supporting": ["区城管局", "区园林局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 1900,
        "location": (116.9931, 36.6852),
        "start": -240,
        "description": "顺河高架沿线桥下空间清理、两侧建筑立面整治和绿化美化。",
        "indicators": [
            _ind("整治点位", "处", 24, 14),
            _ind("绿化面积", "m²", 20000, 9000),
        ],
    },
    {
        "code": "ZZ-{year}-13",
        "type": "remediation",
        "category": "绿化",
        "name": "小清河沿岸绿化工程",
        "lead": "园林绿化指挥部",
        "territorial": ["泺口街道", "药山街道", "大桥街道"],
        "supporting": ["区园林局", "区水务局"],
        "leader": "刘副区长",
        "status": "not_started",
        "investment": 4500,
        "location": (117.0002, 36.7078),
        "start": 30,
        "description": "小清河治理段两岸滨河绿带建设，配套游步道和休憩设施。",
        "indicators": [
            _ind("绿化面积", "m²", 120000),
        ],
    },
    {
        "code": "ZZ-{year}-14",
        "type": "remediation",
        "category": "绿化",
        "name": "街头游园及绿地建设",
        "lead": "园林绿化指挥部",
        "territorial": ["天桥东街街道", "宝华街街道", "官扎营街道", "堤口路街道"],
        "supporting": ["区园林局"],
        "leader": "刘副区长",
        "status": "under_construction",
        "investment": 2100,
        "location": (116.9889, 36.6801),
        "start": -210,
        "description": "利用拆违腾出空地建设街头游园和小微绿地。",
        "indicators": [
            _ind("新建游园", "个", 12, 5),
            _ind("新增绿地面积", "m²", 36000, 14000),
        ],
    },
    {
        "code": "ZZ-{year}-15",
        "type": "remediation",
        "category": "道路",
        "name": "背街小巷整治",
        "lead": "道路整治指挥部",
        "territorial": ["制锦市街道", "宝华街街道", "官扎营街道", "北坦街道"],
        "supporting": ["区建设局", "区城管局"],
        "leader": "李副区长",
        "status": "under_construction",
        "investment": 3200,
        "location": (116.9935, 36.6772),
        "start": -270,
        "description": "老城区背街小巷路面硬化、排水改造、路灯安装和环境整治。",
        "indicators": [
            _ind("整治街巷", "条", 60, 34),
            _ind("整治路面面积", "m²", 85000, 46000),
        ],
    },
    {
        "code": "ZZ-{year}-16",
        "type": "remediation",
        "category": "道路",
        "name": "次干道路面及人行道整修",
        "lead": "道路整治指挥部",
        "territorial": ["纬北路街道", "工人新村南村街道", "天桥东街街道", "无影山街道"],
        "supporting": ["区建设局"],
        "leader": "李副区长",
        "status": "under_construction",
        "investment": 4600,
        "location": (116.9968, 36.6829),
        "start": -250,
        "description": "城区18条次干道路面翻修和人行道铺装，规范无障碍设施。",
        "indicators": [
            _ind("整修道路", "条", 18, 9),
            _ind("人行道铺装面积", "m²", 64000, 30000),
        ],
    },
    {
        "code": "ZZ-{year}-17",
        "type": "remediation",
        "category": "其他",
        "name": "垃圾死角、卫生死角集中清理",
        "lead": "市容环境整治指挥部",
        "territorial": ["北园街道", "泺口街道", "药山街道", "工人新村北村街道", "天桥东街街道", "纬北路街道"],
        "supporting": ["区城管局", "区环保局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 600,
        "location": (116.9990, 36.6880),
        "start": -300,
        "deadline": 4,
        "description": "全面排查清理垃圾死角、卫生死角，落实门前三包和日常保洁长效机制。",
        "indicators": [
            _ind("清理点位", "处", 480, 410),
            _ind("清运垃圾", "吨", 12000, 9800),
        ],
    },
    {
        "code": "ZZ-{year}-18",
        "type": "remediation",
        "category": "其他",
        "name": "“八乱”专项整治",
        "lead": "市容环境整治指挥部",
        "territorial": ["制锦市街道", "宝华街街道", "官扎营街道", "北坦街道", "堤口路街道"],
        "supporting": ["区城管局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 400,
        "location": (116.9915, 36.6790),
        "start": -300,
        "deadline": 4,
        "description": "集中整治乱搭乱建、乱摆乱卖、乱堆乱放、乱贴乱画、乱停乱放、乱扯乱挂、乱倒乱扔、乱排乱放等“八乱”现象。",
        "indicators": [
            _ind("整治点位", "处", 650, 420),
        ],
    },
    {
        "code": "ZZ-{year}-19",
        "type": "remediation",
        "category": "其他",
        "name": "沿街建筑立面整治",
        "lead": "市容环境整治指挥部",
        "territorial": ["北园街道", "堤口路街道", "纬北路街道"],
        "supporting": ["区城管局", "区规划分局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 3800,
        "location": (116.9942, 36.6872),
        "start": -220,
        "description": "主次干道沿街建筑外立面清洗粉刷、空调外机规范和防盗窗整治。",
        "indicators": [
            _ind("立面整治面积", "m²", 150000, 62000),
            _ind("整治建筑", "栋", 210, 90),
        ],
    },
    {
        "code": "ZZ-{year}-20",
        "type": "remediation",
        "category": "河道",
        "name": "西泺河沿岸环境整治",
        "lead": "河道综合整治指挥部",
        "territorial": ["堤口路街道", "北园街道"],
        "supporting": ["区水务局", "区园林局"],
        "leader": "刘副区长",
        "status": "under_construction",
        "investment": 1500,
        "location": (116.9851, 36.6902),
        "start": -230,
        "description": "西泺河清淤、沿岸违建拆除和绿化美化。",
        "indicators": [
            _ind("清淤量", "m³", 26000, 15000),
            _ind("沿岸绿化面积", "m²", 18000, 5000),
        ],
    },
    {
        "code": "ZZ-{year}-21",
        "type": "remediation",
        "category": "其他",
        "name": "农贸市场及周边环境整治",
        "lead": "市容环境整治指挥部",
        "territorial": ["宝华街街道", "官扎营街道", "北坦街道"],
        "supporting": ["区城管局", "区发改局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 900,
        "location": (117.0008, 36.6812),
        "start": -160,
        "description": "农贸市场改造提升和周边占道经营整治。",
        "indicators": [
            _ind("整治市场", "个", 8, 3),
        ],
    },
    {
        "code": "ZZ-{year}-22",
        "type": "remediation",
        "category": "其他",
        "name": "户外广告及门头牌匾规范整治",
        "lead": "区城管局",
        "territorial": ["北园街道", "制锦市街道", "天桥东街街道", "堤口路街道"],
        "supporting": ["区规划分局"],
        "leader": "陈副区长",
        "status": "under_construction",
        "investment": 700,
        "location": (116.9975, 36.6840),
        "start": -200,
        "description": "拆除违规户外广告，统一规范主次干道门头牌匾。",
        "indicators": [
            _ind("拆除违规广告", "块", 1500, 1120),
            _ind("规范门头牌匾", "块", 2600, 1300),
        ],
    },
    {
        "code": "ZZ-{year}-23",
        "type": "remediation",
        "category": "其他",
        "name": "架空线缆规范整治",
        "lead": "区建设局",
        "territorial": ["北园街道", "泺口街道", "纬北路街道"],
        "supporting": ["区城管局"],
        "leader": "李副区长",
        "status": "not_started",
        "investment": 2400,
        "location": (117.0036, 36.6942),
        "start": 60,
        "description": "主要道路两侧架空线缆入地或规范捆扎，拆除废弃杆线。",
        "indicators": [
            _ind("整治线缆长度", "m", 30000),
        ],
    },
]

# Responsibility letters (目标责任书) for the year of loading: one per headquarters and per street
# office with projects, and one per department listed here. Items: the unit's projects × indicators;
# a street's target is its share of the indicator (split evenly among the territorial units);
# money (万元) stays with the lead unit. Letters of the units in LETTER_DRAFT_UNITS stay 草拟.
LETTER_DEPARTMENTS = ["区建设局", "区城管局", "区水务局"]
LETTER_DRAFT_UNITS = ["区水务局", "桑梓店街道"]
LETTER_MONEY_UNIT = "万元"
LETTER_TITLE = "{year}年度{unit}重点工程建设和综合整治目标责任书"

# Demo accounts; "person" is (unit name, person name). "sees" is shown in the account table.
ACCOUNTS = [
    {
        "username": "admin",
        "role": "admin",
        "person": (OFFICE, "马骏"),
        "superuser": True,
        "sees": "全部项目与数据，可维护全部内容，可进入后台管理",
    },
    {
        "username": "office",
        "role": "unit",
        "person": (OFFICE, "刘志强"),
        "sees": "全部项目；登记项目、导入台账、管理单位人员和目标责任书",
    },
    {"username": "leader", "role": "leader", "person": (GOVERNMENT, SECRETARY), "sees": "全部项目（只读）"},
    {"username": "wangqz", "role": "leader", "person": (GOVERNMENT, MAYOR), "sees": "全部项目（只读）"},
    {
        "username": "duchashi",
        "role": "supervisor",
        "person": (SUPERVISION, "韩冰"),
        "sees": "全部项目（只读）",
    },
    {
        "username": "beiyuan_hq",
        "role": "unit",
        "person": ("北园大街改造指挥部", "高建军"),
        "sees": "本指挥部牵头的项目（北园大街及两侧支路），可填报修改",
    },
    {
        "username": "xiaoqinghe_hq",
        "role": "unit",
        "person": ("小清河综合治理指挥部", "徐海涛"),
        "sees": "本指挥部牵头的小清河综合治理项目，可填报修改",
    },
    {
        "username": "beiyuan_street",
        "role": "unit",
        "person": ("北园街道", "钱立伟"),
        "sees": "北园街道作为属地单位的项目，可填报修改",
    },
    {
        "username": "luokou_street",
        "role": "unit",
        "person": ("泺口街道", "潘海燕"),
        "sees": "泺口街道作为属地单位的项目，可填报修改",
    },
    {
        "username": "jianshe",
        "role": "unit",
        "person": ("区建设局", "孙国华"),
        "sees": "区建设局牵头的项目（可修改）和配合的项目（只读）",
    },
]
