export default defineAppConfig({
  theme: { primary: 'indigo' },
  pictify: {
    previewKey: 'pk_test_n8dSYM6bACoj1oPvBjO2vc49cupFRIEN',
    template: 'journal-og',
  },
});
