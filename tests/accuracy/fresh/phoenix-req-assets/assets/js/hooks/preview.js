export const Preview = {
  mounted() {
    this.handleEvent("preview", async ({ html }) => {
      const res = await fetch("https://api.pictify.io/image", {
        method: "POST",
        headers: { Authorization: "Bearer pk_test_nQrEW1ogfaQSJ9XpDVowVmN2yop9HQjw", "Content-Type": "application/json" },
        body: JSON.stringify({ html }),
      });
      this.el.src = (await res.json()).url;
    });
  },
};
