// What a stylesheet import of web code resolves to under jest (see jest.config.cjs).
module.exports = {};
