/** Chinese UI strings (the default language). `en.ts` must have the same keys. */
export const zh = {
  common: {
    actions: '操作', cancel: '取消', close: '关闭', createdAt: '创建时间', updatedAt: '更新时间', delete: '删除', deleted: '已删除',
    edit: '编辑', save: '保存', saved: '已保存', refresh: '刷新', total: '共 {{n}} 条',
    noPermission: '您没有访问此页面的权限', notFound: '页面不存在',
  },
  menu: {
    reports: '报表', datasources: '数据源', datasets: '数据集', users: '用户与用户组', org: '企业域管理', personnel: '人员信息',
    audit: '审计日志', settings: '系统设置', profile: '个人设置',
  },
  user: { changePassword: '修改密码', logout: '退出登录', logoutAll: '退出所有设备', loggedOutAll: '已在所有设备上退出' },
  login: {
    subtitle: '自助式数据报表平台', username: '用户名', password: '密码', submit: '登录',
    usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
  },
  reports: {
    title: '报表', search: '搜索报表', new: '新建报表', noMatch: '没有匹配的报表', emptyEditor: '还没有报表，点击“新建报表”开始',
    emptyViewer: '暂无可查看的报表，请联系管理员授权', noDescription: '暂无描述', copy: '复制', copyName: '{{name}}（副本）', updatedAt: '更新于 {{at}}', deleteConfirm: '确定删除报表“{{name}}”？',
  },
  report: { backToList: '返回报表列表', exportCsv: '导出 CSV', noWidgets: '此报表还没有组件' },
  filterBar: { last7: '最近 7 天', last30: '最近 30 天', thisMonth: '本月', lastMonth: '上月', thisYear: '今年', lastYear: '去年' },
  editor: {
    newTitle: '新建报表', editTitle: '编辑报表', name: '报表名称', namePlaceholder: '例如：月度销售分析', nameRequired: '请填写报表名称', filtersIncomplete: '请为每个报表筛选填写显示名并选择字段',
    description: '描述', addWidget: '添加组件', noWidgets: '点击上方按钮添加图表、指标卡或表格', noDatasets: '还没有数据集：先去上传文件或连接数据库 →',
    saveFirst: '请先保存报表，再设置授权', tabDesign: '设计', tabFilters: '报表筛选', tabGrants: '授权', view: '查看报表',
  },
  widget: {
    kinds: { bar: '柱状图', line: '折线图', pie: '饼图', kpi: '指标卡', table: '表格' },
    kind: '类型', title: '标题', dataset: '数据集', pickDataset: '选择数据集', pickDatasetFirst: '请先选择数据集',
    tableMode: '表格模式', modeDetail: '明细', modeAggregate: '汇总', columns: '列',
    dimensions: '维度', field: '字段', grain: '时间粒度', addDimension: '添加维度',
    measures: '指标', allRows: '全部行', measureLabel: '显示名', addMeasure: '添加指标', addMeasureHint: '添加维度或指标后显示预览',
    filters: '筛选条件', addFilter: '添加筛选', valuesHint: '输入值后回车',
    sort: '排序', noSort: '不排序', asc: '升序', desc: '降序', limit: '行数上限',
    width: '宽度', widthOption: '{{n}} / 12 列', height: '高度', heightOption: '{{n}} 行',
    preview: '预览', moveUp: '上移', moveDown: '下移',
  },
  widgetOptions: {
    title: '显示选项', stacked: '堆叠', horizontal: '横向', showLabels: '显示数值', smooth: '平滑曲线', donut: '环形',
    prefix: '前缀', suffix: '后缀', suffixExample: '件', pageSize: '每页行数',
  },
  aggregates: { sum: '求和', avg: '平均', count: '计数', count_distinct: '去重计数', min: '最小值', max: '最大值' },
  grains: { day: '日', week: '周', month: '月', quarter: '季度', year: '年' },
  ops: {
    eq: '等于', neq: '不等于', gt: '大于', gte: '大于等于', lt: '小于', lte: '小于等于', in: '属于', not_in: '不属于',
    contains: '包含', between: '介于', is_null: '为空', not_null: '不为空',
  },
  fieldTypes: { string: '文本', integer: '整数', number: '数值', boolean: '布尔', date: '日期', datetime: '日期时间' },
  reportFilters: {
    hint: '报表筛选显示在报表顶部，作用于数据集中含有该字段的所有组件。', empty: '暂无报表筛选', label: '显示名',
    dateRange: '日期范围', values: '值列表', add: '添加报表筛选',
  },
  grants: {
    hint: '编辑者和管理员可以查看所有报表；查看者只能看到授权给本人或其所在用户组的报表。', users: '授权用户', groups: '授权用户组',
    searchUsers: '输入姓名或用户名搜索', save: '保存授权', saved: '授权已保存',
  },
  datasources: {
    title: '数据源', subtitle: '连接 PostgreSQL / MySQL 数据库，或上传 CSV / Excel 文件', add: '添加数据库连接', addTitle: '添加数据库连接',
    editTitle: '编辑数据库连接', name: '名称', kind: '类型', address: '地址', host: '主机', port: '端口', database: '数据库', user: '用户名',
    password: '密码', passwordSet: '已设置', passwordNone: '未设置', passwordKeep: '留空则保留已保存的密码',
    test: '测试连接', testOk: '连接成功', embedded: '内置', embeddedName: '上传的文件', deleteConfirm: '确定删除数据源“{{name}}”？',
  },
  upload: {
    button: '上传文件', title: '上传文件', stepFile: '选择文件', stepPreview: '预览与校验', stepDone: '完成',
    drop: '点击或拖拽文件到此处上传', formats: '支持 CSV、XLSX，首行为列名', uploading: '正在上传并解析…',
    datasetName: '数据集名称', summary: '{{file}} · {{rows}} 行 · {{cols}} 列', errorsTitle: '有 {{n}} 处数据问题', errorRow: '第 {{row}} 行',
    skipBadRows: '跳过有问题的行', chooseAnother: '重新选择', import: '导入', doneTitle: '已导入数据集“{{name}}”', doneSub: '现在可以用它制作报表了',
  },
  datasets: {
    title: '数据集', subtitle: '报表组件从数据集取数：一张表或一段 SQL', add: '新建数据集', addTitle: '新建数据集', name: '名称', source: '数据源',
    kind: '来源', kindTable: '表', fromTable: '选择表', fromSql: '编写 SQL', table: '表', sqlHint: '只允许只读的 SELECT 查询',
    fields: '字段', fieldName: '字段名', fieldType: '类型', preview: '数据预览', deleteConfirm: '确定删除数据集“{{name}}”？使用它的报表组件将无法显示。',
  },
  users: {
    subtitle: '管理账号、角色与用户组', tab: '用户', add: '新建用户', addTitle: '新建用户', editTitle: '编辑用户',
    username: '用户名', displayName: '姓名', initialPassword: '初始密码', newPassword: '新密码', role: '角色', status: '状态',
    mobile: '手机号', email: '邮箱', groups: '用户组', group: '用户组',
    usernameRule: '2–64 个字符：字母、数字或 _ . @ -', passwordRule: '密码至少 8 位',
    resetPassword: '重置密码', resetPasswordFor: '重置 {{name}} 的密码', passwordReset: '密码已重置，该用户需重新登录',
    disable: '停用', enable: '启用',
  },
  roles: { admin: '管理员', editor: '编辑者', viewer: '查看者' },
  statuses: { active: '正常', disabled: '已停用' },
  groups: {
    tab: '用户组', add: '新建用户组', addTitle: '新建用户组', editTitle: '编辑用户组', name: '名称', description: '描述', members: '成员数',
    editMembers: '成员', membersOf: '“{{name}}”的成员', deleteConfirm: '确定删除用户组“{{name}}”？',
  },
  personnel: {
    subtitle: '企业内全部人员及其企业微信匹配情况', search: '搜索姓名、用户名、手机号', wecomBlock: '企业微信匹配',
    wecomUserid: '企业微信 UserID', wecomName: '企业微信姓名', matchSource: '匹配方式', matchedAt: '匹配时间', unmatched: '未匹配',
    sources: { first_login: '首次登录', mobile: '手机号', name: '姓名', manual: '手动' },
  },
  import: {
    button: '批量导入', title: '批量导入人员',
    help: '上传 CSV 或 XLSX。表头需包含“用户名”和“姓名”列，可选“手机号”“邮箱”“部门”（部门即用户组）。先试运行检查每一行，确认后才会写入。',
    chooseFile: '选择文件', confirm: '确认导入', dryRunSummary: '试运行：将新建 {{created}} 人，更新 {{updated}} 人，{{unchanged}} 人无变化，{{bad}} 行有问题（有问题的行不会导入）',
    doneTitle: '导入完成：新建 {{created}} 人，更新 {{updated}} 人，{{unchanged}} 人无变化', passwordsOnce: '初始密码只显示这一次，请立即下载并安全地发给本人。', download: '下载初始密码',
    row: '行', status: '结果', message: '说明', initialPassword: '初始密码',
    statuses: { created: '新建', updated: '更新', unchanged: '无变化', error: '错误' },
  },
  audit: {
    subtitle: '登录、权限与数据变更记录', filterAction: '按操作筛选，如 user.created', at: '时间', actor: '操作人', action: '操作',
    target: '对象', detail: '详情', system: '系统',
  },
  settings: {
    profile: '个人信息', currentPassword: '当前密码', confirmPassword: '确认新密码', passwordMismatch: '两次输入的密码不一致',
    changePasswordButton: '修改密码', passwordChanged: '密码已修改，其他设备上的登录已退出', passwordHint: '修改密码后，您在其他设备上的登录会全部退出。',
    wecomTitle: '企业微信集成设置', wecomComing: '企业微信集成将在后续版本提供',
    wecomComingSub: '届时可在此配置企业 ID、应用 Secret 与通讯录同步，实现企业微信免密登录和人员自动匹配。当前版本尚不可用。',
  },
};

export type Dictionary = typeof zh;
