import{l as c}from"./stripe-5c1e.js";const p=c("pk_live_51pb4JJVbkR14g41jUQnsAtcifmi10AI8fPgGtKY2QjGkIAaEs44HXpwlq1K7GhMsOJ5WaOSuwGWG3bSPgQspDIBp00eXoxSHr8");export{p as stripePromise};
