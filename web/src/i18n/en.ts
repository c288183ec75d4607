import type { Dictionary } from './zh';

/** English UI strings; typed against the Chinese dictionary so no key is missing. */
export const en: Dictionary = {
  common: {
    actions: 'Actions', cancel: 'Cancel', close: 'Close', createdAt: 'Created', updatedAt: 'Updated', delete: 'Delete', deleted: 'Deleted',
    edit: 'Edit', save: 'Save', saved: 'Saved', refresh: 'Refresh', total: '{{n}} in total',
    noPermission: 'You do not have access to this page', notFound: 'Page not found',
  },
  menu: {
    reports: 'Reports', datasources: 'Data sources', datasets: 'Datasets', users: 'Users & groups', org: 'Organization', personnel: 'Personnel',
    audit: 'Audit log', settings: 'Settings', profile: 'My settings',
  },
  user: { changePassword: 'Change password', logout: 'Log out', logoutAll: 'Log out everywhere', loggedOutAll: 'Logged out on all devices' },
  login: {
    subtitle: 'Self-service reporting', username: 'Username', password: 'Password', submit: 'Log in',
    usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
  },
  reports: {
    title: 'Reports', search: 'Search reports', new: 'New report', noMatch: 'No matching reports', emptyEditor: 'No reports yet. Click “New report” to start',
    emptyViewer: 'No reports shared with you yet; ask an administrator', noDescription: 'No description', copy: 'Copy', copyName: '{{name}} (copy)', updatedAt: 'Updated {{at}}', deleteConfirm: 'Delete report “{{name}}”?',
  },
  report: { backToList: 'Back to reports', exportCsv: 'Export CSV', noWidgets: 'This report has no widgets yet' },
  filterBar: { last7: 'Last 7 days', last30: 'Last 30 days', thisMonth: 'This month', lastMonth: 'Last month', thisYear: 'This year', lastYear: 'Last year' },
  editor: {
    newTitle: 'New report', editTitle: 'Edit report', name: 'Report name', namePlaceholder: 'e.g. Monthly sales', nameRequired: 'Enter a report name', filtersIncomplete: 'Give every report filter a label and a field',
    description: 'Description', addWidget: 'Add widget', noWidgets: 'Add a chart, KPI card or table with the buttons above', noDatasets: 'No datasets yet: upload a file or connect a database first →',
    saveFirst: 'Save the report first, then choose who may see it', tabDesign: 'Design', tabFilters: 'Report filters', tabGrants: 'Access', view: 'View report',
  },
  widget: {
    kinds: { bar: 'Bar chart', line: 'Line chart', pie: 'Pie chart', kpi: 'KPI card', table: 'Table' },
    kind: 'Type', title: 'Title', dataset: 'Dataset', pickDataset: 'Choose a dataset', pickDatasetFirst: 'Choose a dataset first',
    tableMode: 'Table mode', modeDetail: 'Detail rows', modeAggregate: 'Summary', columns: 'Columns',
    dimensions: 'Dimensions', field: 'Field', grain: 'Date grain', addDimension: 'Add dimension',
    measures: 'Measures', allRows: 'All rows', measureLabel: 'Label', addMeasure: 'Add measure', addMeasureHint: 'Add a dimension or measure to see a preview',
    filters: 'Filters', addFilter: 'Add filter', valuesHint: 'Type a value and press Enter',
    sort: 'Sort', noSort: 'No sorting', asc: 'Ascending', desc: 'Descending', limit: 'Row limit',
    width: 'Width', widthOption: '{{n}} / 12 columns', height: 'Height', heightOption: '{{n}} rows',
    preview: 'Preview', moveUp: 'Move up', moveDown: 'Move down',
  },
  widgetOptions: {
    title: 'Display', stacked: 'Stacked', horizontal: 'Horizontal', showLabels: 'Show values', smooth: 'Smooth line', donut: 'Donut',
    prefix: 'Prefix', suffix: 'Suffix', suffixExample: 'pcs', pageSize: 'Rows per page',
  },
  aggregates: { sum: 'Sum', avg: 'Average', count: 'Count', count_distinct: 'Distinct count', min: 'Min', max: 'Max' },
  grains: { day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year' },
  ops: {
    eq: 'equals', neq: 'not equal', gt: 'greater than', gte: 'at least', lt: 'less than', lte: 'at most', in: 'is one of', not_in: 'is none of',
    contains: 'contains', between: 'between', is_null: 'is empty', not_null: 'is not empty',
  },
  fieldTypes: { string: 'Text', integer: 'Integer', number: 'Number', boolean: 'Boolean', date: 'Date', datetime: 'Date & time' },
  reportFilters: {
    hint: 'Report filters appear above the report and apply to every widget whose dataset has that field.', empty: 'No report filters', label: 'Label',
    dateRange: 'Date range', values: 'Value list', add: 'Add report filter',
  },
  grants: {
    hint: 'Editors and administrators see every report; viewers see only reports granted to them or to one of their groups.', users: 'Users', groups: 'Groups',
    searchUsers: 'Search by name or username', save: 'Save access', saved: 'Access saved',
  },
  datasources: {
    title: 'Data sources', subtitle: 'Connect PostgreSQL / MySQL databases or upload CSV / Excel files', add: 'Add database', addTitle: 'Add database connection',
    editTitle: 'Edit database connection', name: 'Name', kind: 'Type', address: 'Address', host: 'Host', port: 'Port', database: 'Database', user: 'User',
    password: 'Password', passwordSet: 'Set', passwordNone: 'Not set', passwordKeep: 'Leave empty to keep the saved password',
    test: 'Test connection', testOk: 'Connection works', embedded: 'Built-in', embeddedName: 'Uploaded files', deleteConfirm: 'Delete data source “{{name}}”?',
  },
  upload: {
    button: 'Upload file', title: 'Upload file', stepFile: 'Choose file', stepPreview: 'Preview & check', stepDone: 'Done',
    drop: 'Click or drag a file here', formats: 'CSV or XLSX, with column names in the first row', uploading: 'Uploading and reading…',
    datasetName: 'Dataset name', summary: '{{file}} · {{rows}} rows · {{cols}} columns', errorsTitle: '{{n}} data problems found', errorRow: 'Row {{row}}',
    skipBadRows: 'Skip rows with problems', chooseAnother: 'Choose another file', import: 'Import', doneTitle: 'Dataset “{{name}}” imported', doneSub: 'You can now build reports on it',
  },
  datasets: {
    title: 'Datasets', subtitle: 'Report widgets read from datasets: a table or a SQL query', add: 'New dataset', addTitle: 'New dataset', name: 'Name', source: 'Data source',
    kind: 'From', kindTable: 'Table', fromTable: 'Pick a table', fromSql: 'Write SQL', table: 'Table', sqlHint: 'Read-only SELECT queries only',
    fields: 'Fields', fieldName: 'Field', fieldType: 'Type', preview: 'Data preview', deleteConfirm: 'Delete dataset “{{name}}”? Report widgets using it will stop working.',
  },
  users: {
    subtitle: 'Accounts, roles and groups', tab: 'Users', add: 'New user', addTitle: 'New user', editTitle: 'Edit user',
    username: 'Username', displayName: 'Name', initialPassword: 'Initial password', newPassword: 'New password', role: 'Role', status: 'Status',
    mobile: 'Mobile', email: 'Email', groups: 'Groups', group: 'Group',
    usernameRule: '2–64 characters: letters, digits or _ . @ -', passwordRule: 'At least 8 characters',
    resetPassword: 'Reset password', resetPasswordFor: 'Reset password of {{name}}', passwordReset: 'Password reset; the user must log in again',
    disable: 'Disable', enable: 'Enable',
  },
  roles: { admin: 'Administrator', editor: 'Editor', viewer: 'Viewer' },
  statuses: { active: 'Active', disabled: 'Disabled' },
  groups: {
    tab: 'Groups', add: 'New group', addTitle: 'New group', editTitle: 'Edit group', name: 'Name', description: 'Description', members: 'Members',
    editMembers: 'Members', membersOf: 'Members of “{{name}}”', deleteConfirm: 'Delete group “{{name}}”?',
  },
  personnel: {
    subtitle: 'Everyone in the organization and their WeCom match', search: 'Search name, username, mobile', wecomBlock: 'WeCom match',
    wecomUserid: 'WeCom UserID', wecomName: 'WeCom name', matchSource: 'Matched by', matchedAt: 'Matched at', unmatched: 'Not matched',
    sources: { first_login: 'First login', mobile: 'Mobile', name: 'Name', manual: 'Manual' },
  },
  import: {
    button: 'Bulk import', title: 'Bulk import people',
    help: 'Upload CSV or XLSX. The header needs a “username” and a “name” column; “mobile”, “email” and “group” are optional. A dry run checks every row first; nothing is written until you confirm.',
    chooseFile: 'Choose file', confirm: 'Import', dryRunSummary: 'Dry run: {{created}} new, {{updated}} updated, {{unchanged}} unchanged, {{bad}} rows with problems (those rows are not imported)',
    doneTitle: 'Import done: {{created}} new, {{updated}} updated, {{unchanged}} unchanged', passwordsOnce: 'Initial passwords are shown only this once; download them now and hand them over securely.', download: 'Download initial passwords',
    row: 'Row', status: 'Result', message: 'Note', initialPassword: 'Initial password',
    statuses: { created: 'New', updated: 'Updated', unchanged: 'Unchanged', error: 'Error' },
  },
  audit: {
    subtitle: 'Logins, permissions and data changes', filterAction: 'Filter by action, e.g. user.created', at: 'Time', actor: 'Actor', action: 'Action',
    target: 'Target', detail: 'Detail', system: 'System',
  },
  settings: {
    profile: 'Profile', currentPassword: 'Current password', confirmPassword: 'Confirm new password', passwordMismatch: 'The passwords do not match',
    changePasswordButton: 'Change password', passwordChanged: 'Password changed; other devices were logged out', passwordHint: 'Changing your password logs you out on all other devices.',
    wecomTitle: 'WeCom integration', wecomComing: 'WeCom integration arrives in a coming release',
    wecomComingSub: 'You will configure the corp ID, app secret and directory sync here, for password-free WeCom login and automatic matching of people. It is not available in this version.',
  },
};
