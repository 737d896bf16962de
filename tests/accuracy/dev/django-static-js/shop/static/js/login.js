const magic = new Magic('pk_test_A959112787B22B89');
document.querySelector('#login').addEventListener('submit', async (e) => {
  e.preventDefault();
  await magic.auth.loginWithEmailOTP({ email: e.target.email.value });
});
