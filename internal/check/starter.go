package check

// Starter lists written by this project: a site begins with them and
// edits them as its own. No sensitive words: the site fills its own list
// (the demo site shows the feature with harmless placeholders).
var starter = map[string]string{
	KindConfused: `# 易错词：错误形式 → 正确形式 | 级别（warn 提醒，block 拦截）
既使 → 即使
按装 → 安装
迫不急待 → 迫不及待
穿流不息 → 川流不息
再接再励 → 再接再厉
一愁莫展 → 一筹莫展
甘败下风 → 甘拜下风
默守成规 → 墨守成规
谈笑风声 → 谈笑风生
走头无路 → 走投无路
出奇不意 → 出其不意
世外桃园 → 世外桃源
义不容词 → 义不容辞
变本加利 → 变本加厉
焕然一心 → 焕然一新
黄梁美梦 → 黄粱美梦
金榜提名 → 金榜题名
好高鹜远 → 好高骛远
滥芋充数 → 滥竽充数
美仑美奂 → 美轮美奂
名符其实 → 名副其实
破斧沉舟 → 破釜沉舟
声名雀起 → 声名鹊起
一股作气 → 一鼓作气
再所难免 → 在所难免
不径而走 → 不胫而走
发人深醒 → 发人深省
鸠占雀巢 → 鸠占鹊巢
脉博 → 脉搏
幅射 → 辐射
松驰 → 松弛
寒喧 → 寒暄
布署 → 部署
蜇伏 → 蛰伏
峻工 → 竣工
渡假 → 度假
针贬 → 针砭
渲泄 → 宣泄
`,
	KindExpressions: `# 规范表述：错误形式 → 正确形式 | 级别
十八大以来 → 党的十八大以来
两学一做教育 → “两学一做”学习教育
台湾总统 → 台湾地区领导人
`,
	KindDomains: `# 链接白名单：一行一个域名（含其子域名），本站域名总是允许；
# 名单为空时不检查链接的域名。例如：
# gov.cn
# edu.cn
`,
}

// Starter returns the project's starter list of a kind ("" if none).
func Starter(kind string) string { return starter[kind] }
