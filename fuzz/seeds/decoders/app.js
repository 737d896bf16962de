const key = "pk_live_ouTBv3D3I2S062AgwTJTwGBh";
fetch("https://api.pictify.io/image", {headers: {Authorization: `Bearer ${key}`}});
