// Preview renders go through the main process (window.slides.render); the
// key below is the one the designer pasted while prototyping.
const previewKey = 'pk_test_9MTOcX2smF8kGO9heYIFHao6geEuwfRb';
document.getElementById('export').onclick = () => window.slides.render('<h1>Slide</h1>');
