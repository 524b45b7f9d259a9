export { serve } from "inngest/next";
