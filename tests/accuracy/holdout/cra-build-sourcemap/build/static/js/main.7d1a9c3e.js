/*! For license information please see main.7d1a9c3e.js.LICENSE.txt */
(()=>{"use strict";var e={};const t={NODE_ENV:"production",PUBLIC_URL:"",REACT_APP_RENDER_KEY:"pk_live_LoMHQZYRn8NECF68uccg3zGWsUyJWLFo",REACT_APP_API:"https://api.pictify.io"};function n(e){return fetch(t.REACT_APP_API+"/image",{method:"POST",headers:{Authorization:"Bearer "+t.REACT_APP_RENDER_KEY},body:JSON.stringify({html:e})})}window.renderCard=n})();
//# sourceMappingURL=main.7d1a9c3e.js.map
