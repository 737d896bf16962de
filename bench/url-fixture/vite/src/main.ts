const app = document.getElementById('app')!;
app.textContent = 'Hello';
document.getElementById('share')!.addEventListener('click', async () => {
  const { renderCard } = await import('./share');
  app.textContent = await renderCard('Hello');
});
