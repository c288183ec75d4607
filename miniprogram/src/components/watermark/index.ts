/** Viewer name and user-id tail repeated across the page: a deterrent against leaking screenshots. */
Component({
  properties: {
    text: { type: String, value: '' },
  },
  data: { cells: Array.from({ length: 16 }, (_, i) => i) },
});
