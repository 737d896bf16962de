export default defineNuxtPlugin(() => {
  const Culqi = (window as any).Culqi;
  Culqi.publicKey = 'pk_test_t6nlR3UZacFEuvTB';
  Culqi.settings({ title: 'Menu', currency: 'PEN', amount: 3500 });
});
