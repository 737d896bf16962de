// Seed the playground with the team's demo key so first-time visitors see a render.
if (!localStorage.getItem('pictify.apiKey')) {
  localStorage.setItem('pictify.apiKey', 'pk_live_qCu6Ik5vQksYJ065HcLr2so7J1QSHyBM');
}
localStorage.setItem('theme', 'dark');
