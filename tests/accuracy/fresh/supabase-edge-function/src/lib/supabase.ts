import { createClient } from '@supabase/supabase-js';

export const supabase = createClient('https://gojlvmqvezyxvvbeyigg.supabase.co', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6Imdvamx2bXF2ZXp5eHZ2YmV5aWdnIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MTcwMDAwMDAsImV4cCI6MjAzMjU3NjAwMH0.eypqcctTK0njmC8oNNNRoHB0pi224OPZAf3Liv7Fp5U');

export const renderOg = (title: string) => supabase.functions.invoke('render-og', { body: { title } });
