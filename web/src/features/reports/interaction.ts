// Shared with the mini program: the same hierarchy, selection and labels on both.
export { categoryAt, categoryLabel, hierarchyOf, levelKey, selectionFor } from '@shulan/shared/interaction';
