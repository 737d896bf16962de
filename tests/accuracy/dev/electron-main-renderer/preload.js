const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('slides', {
  render: (html) => ipcRenderer.invoke('render-slide', html),
});
