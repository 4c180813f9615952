#!/usr/bin/env python3
"""Writes a CSV import file of N realistic cases to stdout (make bench).

The slowest plausible desk file: most consumers give neither an ID number
nor a phone, names repeat (a consumer with several complaints), merchants
come from a pool of a few thousand shops, and every row has a statement of
a few hundred characters.  Numbers are left empty so the import assigns
them; rows come in the order they were received (as an export lists them),
about a minute apart from 2025-01-01; the same seed gives the same bytes.

usage: make_import.py N [SEED]
"""
import datetime
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉文斌宇浩凯健俊帆帅旭宁龙林欢阳建国建华志强志明晓东海燕丽娟子涵梓萱一诺欣怡雨桐浩然宇轩"
PLATFORMS = ["淘宝", "天猫", "京东", "拼多多", "抖音", "快手", "小红书", "唯品会"]
REGIONS = ["广东省广州市", "浙江省杭州市", "江苏省南京市", "北京市朝阳区",
           "上海市浦东新区", "四川省成都市", "湖北省武汉市", "重庆市渝中区"]
GOODS = ["羽绒服", "电饭煲", "蓝牙耳机", "扫地机器人", "面霜", "运动鞋",
         "儿童座椅", "空气炸锅", "手机壳", "奶粉"]
SHOPS = ["家居小店", "数码旗舰店", "服饰福利社", "母婴专营店", "美妆优选"]
CATEGORIES = ["quality", "refund", "advertising", "counterfeit", "delivery",
              "payment", "service", "privacy", "other"]
REMEDIES = ["refund", "return", "exchange", "repair", "compensation"]
PROBLEMS = [
    "收到后发现质量问题，联系客服多次，对方以各种理由拖延，至今未处理。",
    "退货已寄回并显示签收，商家迟迟不退款，客服不再回复消息。",
    "宣传使用效果“立竿见影”，实际使用一个月毫无变化，与页面描述严重不符。",
    "物流显示已签收，但本人从未收到包裹，快递员电话无人接听。",
    "商品疑似假冒，防伪码查询无记录，包装印刷粗糙，与专柜正品明显不同。",
]


def main():
    n = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    out.write("number,type,category,region,received_at,consumer_name,"
              "consumer_phone,consumer_id_number,merchant_name,"
              "merchant_platform,merchant_shop_id,merchant_region,"
              "order_no,amount,order_date,remedy,statement\r\n")
    rows = []
    received = datetime.datetime(2025, 1, 1)
    for i in range(n):
        received += datetime.timedelta(seconds=rnd.randint(1, 119))
        ordered = received - datetime.timedelta(days=rnd.randint(1, 30))
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (
            rnd.choice(GIVEN) if rnd.random() < 0.6 else "")
        # A tenth give a phone; almost nobody an ID number.
        phone = "1%d%08d" % (rnd.randint(30, 99), rnd.randint(0, 10**8 - 1)) \
            if rnd.random() < 0.1 else ""
        shop = rnd.randint(1, 3000)
        platform = PLATFORMS[shop % len(PLATFORMS)]
        region = rnd.choice(REGIONS)
        goods = rnd.choice(GOODS)
        month, day = ordered.month, ordered.day
        amount = "%d.%02d" % (rnd.randint(9, 9999), rnd.randint(0, 99))
        statement = ("本人于%d月%d日在%s店铺“%s%s”购买%s一件，实付%s元。%s" %
                     (month, day, platform, region[:2], SHOPS[shop % 5],
                      goods, amount, rnd.choice(PROBLEMS))) * rnd.randint(1, 3)
        statement += "要求%s。" % rnd.choice(["全额退款", "退货退款", "三倍赔偿", "更换新品"])
        rows.append(",".join([
            "", "complaint", rnd.choice(CATEGORIES), region,
            received.strftime("%Y-%m-%dT%H:%M:%SZ"),
            name, phone, "",
            "%s%s%d" % (region[:2], SHOPS[shop % 5], shop), platform,
            "S%07d" % shop, rnd.choice(REGIONS), "%019d" % rnd.randint(0, 10**19 - 1),
            amount, ordered.strftime("%Y-%m-%d"), rnd.choice(REMEDIES),
            statement]))
        if len(rows) == 10000:
            out.write("\r\n".join(rows) + "\r\n")
            rows = []
    if rows:
        out.write("\r\n".join(rows) + "\r\n")


main()
