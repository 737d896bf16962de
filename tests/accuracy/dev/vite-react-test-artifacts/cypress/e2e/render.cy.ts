describe('render', () => {
  it('sends the key to Pictify', () => {
    cy.intercept('POST', 'https://api.pictify.io/image', (req) => {
      expect(req.headers.authorization).to.eq('Bearer pk_test_2wTibrUNk5V1YZamOQDK2JhJ2YMrMD0J');
      req.reply({ url: 'https://cdn.pictify.io/r/ok.png' });
    });
    cy.visit('/');
  });
});
